package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// servers are the MinIO and moto that tests/servers.sh started for the
// benchmarks, with their pid files, logs and data in a directory of their
// own, so that stopping them stops nothing else (a `make test` that runs
// beside the benchmarks keeps its servers).
type servers struct {
	root, state string
	minio, moto string // base URLs
	started     bool
}

// startServers installs (when needed) and starts the servers.
func startServers(root, state string) (*servers, error) {
	s := &servers{root: root, state: state}
	if err := s.script("start"); err != nil {
		return s, err
	}
	s.started = true
	f, err := os.Open(filepath.Join(state, "env"))
	if err != nil {
		return s, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		kv, ok := strings.CutPrefix(sc.Text(), "export ")
		if !ok {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "AWSLUA_TEST_MINIO":
			s.minio = v
		case "AWSLUA_TEST_MOTO":
			s.moto = v
		}
	}
	if s.minio == "" || s.moto == "" {
		return s, fmt.Errorf("tests/servers.sh wrote no MinIO or moto URL to %s/env", state)
	}
	return s, nil
}

// stop stops the servers this harness started, and only those.
func (s *servers) stop() error {
	if !s.started {
		return nil
	}
	s.started = false
	return s.script("stop")
}

func (s *servers) script(verb string) error {
	cmd := exec.Command(filepath.Join(s.root, "tests", "servers.sh"), verb)
	cmd.Env = append(os.Environ(), "AWSLUA_SERVERS_STATE="+s.state)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("tests/servers.sh %s: %v", verb, err)
	}
	return nil
}

// childEnv is the environment of every measured program: this process's,
// without its AWS settings, plus the servers' endpoints and keys through
// the standard variables that aws-sdk-go-v2, awslua and boto3 all read.
func (s *servers) childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") && !strings.HasPrefix(kv, "AWSLUA_") {
			env = append(env, kv)
		}
	}
	return append(env,
		"AWS_ACCESS_KEY_ID=backendtest",
		"AWS_SECRET_ACCESS_KEY=backendtest-secret",
		"AWS_REGION=us-east-1",
		"AWS_DEFAULT_REGION=us-east-1",
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_ENDPOINT_URL_S3="+s.minio,
		"AWS_ENDPOINT_URL_DYNAMODB="+s.moto,
	)
}

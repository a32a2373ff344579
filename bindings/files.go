package bindings

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	lua "github.com/yuin/gopher-lua"
)

// filesModules are aws.fs and aws.checksum: what a sync script needs that
// Lua's io library lacks. They read the file system, so a runtime without
// file access (the embedding default) refuses them.
func filesModules(L *lua.LState, allowed bool) (fsMod, checksum *lua.LTable) {
	guard := func(f lua.LGFunction) lua.LGFunction {
		if allowed {
			return f
		}
		return func(L *lua.LState) int {
			L.RaiseError("this runtime has no file access")
			return 0
		}
	}
	fsMod = L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		// walk(dir) returns the regular files under dir, sorted by path:
		// {path=, rel= (path relative to dir, with /), size=, mtime=}.
		"walk": guard(func(L *lua.LState) int {
			root := L.CheckString(1)
			out := L.NewTable()
			err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
				if err != nil || !d.Type().IsRegular() {
					return err
				}
				info, err := d.Info()
				if err != nil {
					return err
				}
				rel, _ := filepath.Rel(root, path)
				t := L.NewTable()
				t.RawSetString("path", lua.LString(path))
				t.RawSetString("rel", lua.LString(filepath.ToSlash(rel)))
				t.RawSetString("size", lua.LNumber(info.Size()))
				t.RawSetString("mtime", newTimestamp(L, info.ModTime()))
				out.Append(t)
				return nil
			})
			if err != nil {
				L.RaiseError("aws.fs.walk: %v", err)
			}
			L.Push(out)
			return 1
		}),
	})
	checksum = L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		// etag(path [, chunksize]) returns the ETag S3 gives the file when
		// upload_file sends it with chunksize as threshold and part size:
		// whole below it (the MD5), and from it on in parts of chunksize
		// (the MD5 of the parts' MD5s, "-" and the part count).
		"etag": guard(func(L *lua.LState) int {
			tag, err := fileETag(L.CheckString(1), int64(L.OptNumber(2, 8<<20)))
			if err != nil {
				L.RaiseError("aws.checksum.etag: %v", err)
			}
			L.Push(lua.LString(tag))
			return 1
		}),
	})
	return fsMod, checksum
}

func fileETag(path string, chunk int64) (string, error) {
	if chunk <= 0 {
		return "", fmt.Errorf("chunk size must be positive")
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	// Below, not up to: a file of exactly chunksize goes as one part, as
	// boto3 and upload_file send a file at the threshold.
	if st.Size() < chunk {
		h := md5.New()
		if _, err := io.Copy(h, f); err != nil {
			return "", err
		}
		return `"` + hex.EncodeToString(h.Sum(nil)) + `"`, nil
	}
	all := md5.New()
	parts := 0
	for {
		h := md5.New()
		n, err := io.CopyN(h, f, chunk)
		if n > 0 {
			all.Write(h.Sum(nil))
			parts++
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
	}
	return fmt.Sprintf(`"%s-%d"`, hex.EncodeToString(all.Sum(nil)), parts), nil
}

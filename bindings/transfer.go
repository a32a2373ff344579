package bindings

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"time"
	"unsafe"

	lua "github.com/yuin/gopher-lua"

	"github.com/awslua/awslua/sdk"
	"github.com/awslua/awslua/sdk/transfer"
)

// A Meter shows a transfer's progress, such as the command line's progress
// bar; Options.TransferMeter makes one per transfer.
type Meter interface {
	Update(done, total int64)
	Finish()
}

// The transfer methods, on S3 clients and on the Bucket and Object
// resources, as boto3 binds them. Each takes a trailing table of
// {ExtraArgs=, Callback=, Config=}.
var transferMethods = map[string]bool{
	"upload_file": true, "download_file": true, "upload_fileobj": true, "download_fileobj": true, "copy": true,
}

// clientTransfer returns a client's transfer method.
func (m *module) clientTransfer(L *lua.LState, c *client, name string) *lua.LFunction {
	if c.ServiceName() != "s3" || !transferMethods[name] {
		return nil
	}
	return documented(L, usesByName(s3Helpers...)[name], func(L *lua.LState) int {
		c := checkClient(L)
		switch name {
		case "upload_file":
			m.upload(L, c.Client, lua.LString(L.CheckString(2)), L.CheckString(3), L.CheckString(4), 5)
		case "download_file":
			m.download(L, c.Client, L.CheckString(2), L.CheckString(3), lua.LString(L.CheckString(4)), 5)
		case "upload_fileobj":
			m.upload(L, c.Client, fileobj(L, 2), L.CheckString(3), L.CheckString(4), 5)
		case "download_fileobj":
			m.download(L, c.Client, L.CheckString(2), L.CheckString(3), fileobj(L, 4), 5)
		case "copy":
			t := L.CheckTable(2)
			m.copy(L, c.Client, t.RawGetString("CopySource"), str(t.RawGetString("Bucket")), str(t.RawGetString("Key")), t)
		}
		return 0
	})
}

// resourceTransferUses describe the transfer methods of a Bucket (true)
// and of an Object or ObjectSummary (false).
var resourceTransferUses = map[bool]map[string]string{
	true: usesByName(
		"upload_file(filename, key, {ExtraArgs=, Callback=, Config=})",
		"download_file(key, filename, {ExtraArgs=, Callback=, Config=})",
		"upload_fileobj(file, key, {...})",
		"download_fileobj(key, file, {...})",
		"copy(CopySource, key, {ExtraArgs=, Callback=, Config=})",
	),
	false: usesByName(
		"upload_file(filename, {ExtraArgs=, Callback=, Config=})",
		"download_file(filename, {ExtraArgs=, Callback=, Config=})",
		"upload_fileobj(file, {...})",
		"download_fileobj(file, {...})",
		"copy(CopySource, {ExtraArgs=, Callback=, Config=})",
	),
}

// resourceTransfer returns the transfer method of an S3 Bucket or Object.
func (m *module) resourceTransfer(L *lua.LState, r *resource, name string) *lua.LFunction {
	if r.Client().ServiceName() != "s3" || !transferMethods[name] {
		return nil
	}
	typ := r.Type()
	if typ != "Bucket" && typ != "Object" && typ != "ObjectSummary" {
		return nil
	}
	uses := resourceTransferUses[typ == "Bucket"]
	return documented(L, uses[name], func(L *lua.LState) int {
		r := checkResource(L)
		ids := r.Identifiers()
		c := r.Client()
		if r.Type() == "Bucket" {
			bucket := fmt.Sprint(ids["Name"])
			switch name {
			case "upload_file":
				m.upload(L, c, lua.LString(L.CheckString(2)), bucket, L.CheckString(3), 4)
			case "upload_fileobj":
				m.upload(L, c, fileobj(L, 2), bucket, L.CheckString(3), 4)
			case "download_file":
				m.download(L, c, bucket, L.CheckString(2), lua.LString(L.CheckString(3)), 4)
			case "download_fileobj":
				m.download(L, c, bucket, L.CheckString(2), fileobj(L, 3), 4)
			case "copy":
				m.copy(L, c, L.Get(2), bucket, L.CheckString(3), L.OptTable(4, nil))
			}
			return 0
		}
		bucket, key := fmt.Sprint(ids["BucketName"]), fmt.Sprint(ids["Key"])
		switch name {
		case "upload_file":
			m.upload(L, c, lua.LString(L.CheckString(2)), bucket, key, 3)
		case "upload_fileobj":
			m.upload(L, c, fileobj(L, 2), bucket, key, 3)
		case "download_file":
			m.download(L, c, bucket, key, lua.LString(L.CheckString(2)), 3)
		case "download_fileobj":
			m.download(L, c, bucket, key, fileobj(L, 2), 3)
		case "copy":
			m.copy(L, c, L.Get(2), bucket, key, L.OptTable(3, nil))
		}
		r.SetData(nil) // the object changed
		return 0
	})
}

// upload uploads a file name or an io.open handle.
func (m *module) upload(L *lua.LState, c *sdk.Client, src lua.LValue, bucket, key string, optsAt int) {
	label := fmt.Sprintf("s3://%s/%s", bucket, key)
	if name, ok := src.(lua.LString); ok {
		m.checkFiles(L, "upload_file reads a file")
		m.transfer(L, label, L.OptTable(optsAt, nil), func(ctx context.Context, o transfer.Options) error {
			return transfer.UploadFile(ctx, c, string(name), bucket, key, o)
		})
		return
	}
	ud := src.(*lua.LUserData)
	f := m.fileArg(L, ud, "a file opened for reading")
	// From where the script's reading stopped, as boto3 reads a file
	// object: seek("cur") hands back what the io library read ahead. A
	// pipe cannot seek; it is read through the library's buffer.
	var r io.Reader = f
	if _, ok := luaSeek(L, ud, "cur"); !ok {
		r = luaFileReader(ud, f)
	}
	m.transfer(L, label, L.OptTable(optsAt, nil), func(ctx context.Context, o transfer.Options) error {
		return transfer.Upload(ctx, c, r, bucket, key, o)
	})
}

// download downloads to a file name or an io.open handle.
func (m *module) download(L *lua.LState, c *sdk.Client, bucket, key string, dst lua.LValue, optsAt int) {
	label := fmt.Sprintf("s3://%s/%s", bucket, key)
	if name, ok := dst.(lua.LString); ok {
		m.checkFiles(L, "download_file writes a file")
		m.transfer(L, label, L.OptTable(optsAt, nil), func(ctx context.Context, o transfer.Options) error {
			return transfer.DownloadFile(ctx, c, bucket, key, string(name), o)
		})
		return
	}
	ud := dst.(*lua.LUserData)
	f := m.fileArg(L, ud, "a file opened for writing")
	// At the file's position, which is left after the object, as boto3
	// writes a file object. A pipe or a file opened for appending cannot
	// be written at offsets (WriteAt says so for the latter): those take
	// the object in order.
	pos, ok := luaSeek(L, ud, "cur")
	if _, err := f.WriteAt(nil, max(pos, 0)); !ok || err != nil {
		m.transfer(L, label, L.OptTable(optsAt, nil), func(ctx context.Context, o transfer.Options) error {
			return transfer.DownloadStream(ctx, c, bucket, key, f, o)
		})
		return
	}
	var written int64
	m.transfer(L, label, L.OptTable(optsAt, nil), func(ctx context.Context, o transfer.Options) error {
		err := transfer.Download(ctx, c, bucket, key, io.NewOffsetWriter(f, pos), o)
		written = o.Progress.Done.Load()
		return err
	})
	if _, err := f.Seek(pos+written, io.SeekStart); err != nil {
		raise(L, fmt.Errorf("download_fileobj: %w", err))
	}
}

// checkFiles refuses the transfers that name a file when the runtime has no
// file access (the embedding default, without the io library): upload_file
// read any file the program could, and sent it to S3, and download_file
// wrote any, past the sandbox that leaves io out.
func (m *module) checkFiles(L *lua.LState, what string) {
	if m.noFiles {
		L.RaiseError("%s, and this runtime has no file access", what)
	}
}

// fileobj checks that argument n is a file handle (from io.open), as the
// fileobj forms take: a string is not a file name there.
func fileobj(L *lua.LState, n int) lua.LValue {
	v := L.Get(n)
	if ud, ok := v.(*lua.LUserData); ok && luaFile(ud) != nil {
		return v
	}
	L.ArgError(n, fmt.Sprintf("expected a file (from io.open), got %s", v.Type()))
	return nil
}

// luaSeek calls the handle's seek method, which also drops what the io
// library read ahead, and reports whether the file could seek.
func luaSeek(L *lua.LState, ud *lua.LUserData, whence string) (int64, bool) {
	top := L.GetTop()
	defer L.SetTop(top)
	if err := L.CallByParam(lua.P{Fn: L.GetField(ud, "seek"), NRet: 1, Protect: true}, ud, lua.LString(whence)); err != nil {
		return 0, false
	}
	n, ok := L.Get(-1).(lua.LNumber)
	return int64(n), ok
}

// luaFileReader returns the reader of an io library handle, whose buffer
// holds what the script's reads took from the file ahead of them, or f
// when it has none.
func luaFileReader(ud *lua.LUserData, f *os.File) io.Reader {
	v := reflect.ValueOf(ud.Value)
	if v.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.Struct {
		r := v.Elem().FieldByName("reader")
		if r.IsValid() && r.Type() == reflect.TypeFor[*bufio.Reader]() {
			if br := *(**bufio.Reader)(unsafe.Pointer(r.UnsafeAddr())); br != nil {
				return br
			}
		}
	}
	return f
}

func (m *module) copy(L *lua.LState, c *sdk.Client, source lua.LValue, bucket, key string, opts *lua.LTable) {
	var src transfer.Source
	switch s := source.(type) {
	case lua.LString:
		src.Bucket, src.Key, _ = strings.Cut(string(s), "/")
	case *lua.LTable:
		src.Bucket, src.Key, src.VersionID = str(s.RawGetString("Bucket")), str(s.RawGetString("Key")), str(s.RawGetString("VersionId"))
	}
	if src.Bucket == "" || src.Key == "" {
		L.RaiseError("copy: CopySource must be {Bucket=, Key=[, VersionId=]} or \"bucket/key\"")
	}
	if bucket == "" || key == "" {
		L.RaiseError("copy: Bucket and Key are required")
	}
	if opts != nil {
		opts = withoutKey(withoutKey(withoutKey(opts, "CopySource"), "Bucket"), "Key")
	}
	m.transfer(L, fmt.Sprintf("s3://%s/%s", bucket, key), opts, func(ctx context.Context, o transfer.Options) error {
		return transfer.Copy(ctx, c, src, bucket, key, o)
	})
}

// fileArg returns the *os.File behind an io.open handle.
func (m *module) fileArg(L *lua.LState, v lua.LValue, want string) *os.File {
	if ud, ok := v.(*lua.LUserData); ok {
		if f := luaFile(ud); f != nil {
			return f
		}
	}
	L.RaiseError("expected %s (from io.open), got %s", want, v.Type())
	return nil
}

// transfer runs fn in a goroutine while the script's goroutine reports its
// progress: to Callback(bytes moved since the last call), as boto3 calls
// it, and to the runtime's meter. A Callback error stops the transfer.
func (m *module) transfer(L *lua.LState, label string, opts *lua.LTable, fn func(context.Context, transfer.Options) error) {
	var o transfer.Options
	var callback *lua.LFunction
	if opts != nil {
		f := fields(L, opts, "transfer options", "ExtraArgs", "Callback", "Config")
		if extra, ok := f["ExtraArgs"].(*lua.LTable); ok {
			o.ExtraArgs, _ = tableToGo(L, extra, nil).(map[string]any)
		}
		callback, _ = f["Callback"].(*lua.LFunction)
		if cfg, ok := f["Config"].(*lua.LTable); ok {
			c := fields(L, cfg, "Config", "multipart_threshold", "multipart_chunksize", "max_concurrency", "num_download_attempts", "use_threads")
			o.Config = transfer.Config{
				MultipartThreshold:  int64(lua.LVAsNumber(c["multipart_threshold"])),
				MultipartChunksize:  int64(lua.LVAsNumber(c["multipart_chunksize"])),
				MaxConcurrency:      int(lua.LVAsNumber(c["max_concurrency"])),
				NumDownloadAttempts: int(lua.LVAsNumber(c["num_download_attempts"])),
			}
			if c["use_threads"] == lua.LFalse {
				o.Config.MaxConcurrency = 1
			}
		}
	}
	o.Progress = &transfer.Progress{}
	ctx, cancel := context.WithCancel(ctxOf(L))
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- fn(ctx, o) }()

	var meter Meter
	if m.meter != nil {
		meter = m.meter(label)
	}
	reported := int64(0)
	report := func() error {
		now := o.Progress.Done.Load()
		if meter != nil {
			meter.Update(now, o.Progress.Total.Load())
		}
		if callback == nil || now <= reported {
			return nil
		}
		delta := now - reported
		reported = now
		return L.CallByParam(lua.P{Fn: callback, NRet: 0, Protect: true}, lua.LNumber(delta))
	}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			if err == nil {
				err = report()
			}
			if meter != nil {
				meter.Finish()
			}
			if err != nil {
				raise(L, err)
			}
			return
		case <-tick.C:
			if err := report(); err != nil {
				cancel()
				<-done
				if meter != nil {
					meter.Finish()
				}
				raise(L, fmt.Errorf("transfer Callback: %w", err))
			}
		}
	}
}

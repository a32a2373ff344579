package sdk

import (
	"context"
	"fmt"
	"iter"
	"strings"
	"time"
)

// What DynamoDB tables have beyond their model: boto3's batch writer, and
// (beyond boto3) queries and scans that page through every item.

// batchWriteLimit is how many requests one BatchWriteItem takes.
const batchWriteLimit = 25

// A BatchWriter buffers PutItem and DeleteItem requests for one DynamoDB
// table and sends them with BatchWriteItem, 25 to a request, sending again
// what the service leaves unprocessed, as boto3's table.batch_writer().
// Flush sends what is left; call it at the end. Items and keys are native
// values. A BatchWriter is not safe for concurrent use.
type BatchWriter struct {
	table     *Resource
	name      string
	overwrite []string
	buf       []map[string]any // {"PutRequest": {"Item": ...}} or {"DeleteRequest": {"Key": ...}}
	requests  int
	// wait is the pause before resending unprocessed items; tests shorten it.
	wait time.Duration
}

// BatchWriter returns a batch writer for a DynamoDB Table resource. With
// overwriteByPKeys (the table's key attributes), a request for a key that
// the buffer holds already replaces the buffered one, since BatchWriteItem
// refuses two requests for one key.
func (r *Resource) BatchWriter(overwriteByPKeys ...string) (*BatchWriter, error) {
	name, err := r.dynamoDBTable("BatchWriter")
	if err != nil {
		return nil, err
	}
	return &BatchWriter{table: r, name: name, overwrite: overwriteByPKeys, wait: 50 * time.Millisecond}, nil
}

func (r *Resource) dynamoDBTable(what string) (string, error) {
	if r.client.ServiceName() != "dynamodb" || r.typ != "Table" {
		return "", fmt.Errorf("%s: only DynamoDB tables have %s", r.label(), what)
	}
	name, _ := r.ids["Name"].(string)
	return name, nil
}

// Requests returns how many BatchWriteItem requests the writer has sent.
func (w *BatchWriter) Requests() int { return w.requests }

// Pending returns how many requests the writer holds, not yet sent.
func (w *BatchWriter) Pending() int { return len(w.buf) }

// PutItem adds a PutRequest for item; a full buffer is sent.
func (w *BatchWriter) PutItem(ctx context.Context, item map[string]any) error {
	if item == nil {
		return fmt.Errorf("batch writer: put_item needs an Item")
	}
	return w.add(ctx, map[string]any{"PutRequest": map[string]any{"Item": item}})
}

// DeleteItem adds a DeleteRequest for key; a full buffer is sent.
func (w *BatchWriter) DeleteItem(ctx context.Context, key map[string]any) error {
	if key == nil {
		return fmt.Errorf("batch writer: delete_item needs a Key")
	}
	return w.add(ctx, map[string]any{"DeleteRequest": map[string]any{"Key": key}})
}

func (w *BatchWriter) add(ctx context.Context, req map[string]any) error {
	if len(w.overwrite) > 0 {
		key := w.pkey(req)
		kept := w.buf[:0]
		for _, b := range w.buf {
			if w.pkey(b) != key {
				kept = append(kept, b)
			}
		}
		w.buf = kept
	}
	w.buf = append(w.buf, req)
	if len(w.buf) >= batchWriteLimit {
		return w.send(ctx)
	}
	return nil
}

// pkey is the values of the overwrite keys of a request, as one string.
func (w *BatchWriter) pkey(req map[string]any) string {
	var attrs map[string]any
	if p, ok := req["PutRequest"].(map[string]any); ok {
		attrs, _ = asStringMap(p["Item"])
	} else if d, ok := req["DeleteRequest"].(map[string]any); ok {
		attrs, _ = asStringMap(d["Key"])
	}
	parts := make([]string, len(w.overwrite))
	for i, k := range w.overwrite {
		v := attrs[k]
		if kind, key, ok := setKey(v); ok {
			parts[i] = kind + ":" + key
		} else {
			parts[i] = fmt.Sprintf("%T:%v", v, v)
		}
	}
	return strings.Join(parts, "\x00")
}

// send sends up to 25 buffered requests; what comes back unprocessed goes
// back into the buffer.
func (w *BatchWriter) send(ctx context.Context) error {
	n := min(len(w.buf), batchWriteLimit)
	batch := make([]any, n)
	for i := range n {
		batch[i] = w.buf[i]
	}
	out, err := w.table.call(ctx, "BatchWriteItem", map[string]any{"RequestItems": map[string]any{w.name: batch}})
	if err != nil {
		return err
	}
	w.requests++
	w.buf = w.buf[n:]
	if un, ok := out["UnprocessedItems"].(map[string]any); ok {
		if list, ok := un[w.name].([]any); ok {
			for _, r := range list {
				if m, ok := r.(map[string]any); ok {
					w.buf = append(w.buf, m)
				}
			}
		}
	}
	return nil
}

// Flush sends everything buffered, resending unprocessed items with a
// growing pause; it gives up after 10 rounds in a row that get nothing
// through.
func (w *BatchWriter) Flush(ctx context.Context) error {
	wait, stuck := w.wait, 0
	for len(w.buf) > 0 {
		before := len(w.buf)
		sent := min(before, batchWriteLimit)
		if err := w.send(ctx); err != nil {
			return err
		}
		if len(w.buf) <= before-sent {
			wait, stuck = w.wait, 0
			continue
		}
		// Some came back unprocessed: the table is throttled.
		if len(w.buf) < before {
			stuck = 0 // some got through
		} else if stuck++; stuck >= 10 {
			return fmt.Errorf("batch writer: %d items of %s still unprocessed after %d requests", len(w.buf), w.name, w.requests)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait = min(wait*2, 5*time.Second)
	}
	return nil
}

// QueryItems runs Query on a DynamoDB table and yields every item of every
// page, as native values. cfg.PageSize sets Limit on each request and
// cfg.MaxItems stops after that many items.
func (r *Resource) QueryItems(ctx context.Context, input map[string]any, cfg PaginationConfig) iter.Seq2[map[string]any, error] {
	return r.tableItems(ctx, "Query", input, cfg)
}

// ScanItems is QueryItems for Scan.
func (r *Resource) ScanItems(ctx context.Context, input map[string]any, cfg PaginationConfig) iter.Seq2[map[string]any, error] {
	return r.tableItems(ctx, "Scan", input, cfg)
}

func (r *Resource) tableItems(ctx context.Context, op string, input map[string]any, cfg PaginationConfig) iter.Seq2[map[string]any, error] {
	return func(yield func(map[string]any, error) bool) {
		name, err := r.dynamoDBTable(op + "Items")
		if err != nil {
			yield(nil, err)
			return
		}
		params := map[string]any{"TableName": name}
		for k, v := range input {
			params[k] = v
		}
		count := 0
		for page, err := range r.pages(ctx, op, params, PaginationConfig{PageSize: cfg.PageSize}) {
			if err != nil {
				yield(nil, err)
				return
			}
			items, _ := page["Items"].([]any)
			for _, it := range items {
				if cfg.MaxItems > 0 && count >= cfg.MaxItems {
					return
				}
				count++
				m, _ := it.(map[string]any)
				if !yield(m, nil) {
					return
				}
			}
			if cfg.MaxItems > 0 && count >= cfg.MaxItems {
				return
			}
		}
	}
}

package sdk

import (
	"strings"
	"testing"

	"github.com/awslua/awslua/sdk/model"
)

// TestShapeMissingAtFirstUse gives an operation an input shape the model
// lacks, as a damaged bundle would when the shape is first decoded: the
// call is an error naming it, and an input whose member's shape is
// missing is still checked without a panic.
func TestShapeMissingAtFirstUse(t *testing.T) {
	m := &model.Service{Name: "x", Metadata: model.Metadata{Protocol: "json"}, Operations: map[string]*model.Operation{
		"Broken": {Name: "Broken", Input: &model.ShapeRef{Shape: "Gone"}},
		"Partly": {Name: "Partly", Input: &model.ShapeRef{Shape: "In"}},
	}}
	m.SetShapes(map[string]*model.Shape{
		"In": {Type: "structure", Members: map[string]*model.ShapeRef{"A": {Shape: "Gone", IdempotencyToken: true}}, MemberOrder: []string{"A"}},
	})
	svc := newModelService(m)
	op, _ := svc.Operation("Broken")
	if _, err := op.prepare(map[string]any{}); err == nil || !strings.Contains(err.Error(), `x Broken: model: service "x" has no shape "Gone"`) {
		t.Errorf("prepare(Broken) = %v", err)
	}
	op, _ = svc.Operation("partly")
	if op == nil {
		t.Fatal("no operation partly")
	}
	c, err := op.prepare(map[string]any{"A": "v"})
	if err != nil || c.params["A"] != "v" {
		t.Errorf("prepare(Partly) = %v, %v", c, err)
	}
}

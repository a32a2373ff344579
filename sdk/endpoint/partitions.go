package endpoint

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
)

// Partitions are AWS's partitions (aws, aws-cn, aws-us-gov, ...) as
// botocore's data/partitions.json lists them: what aws.partition returns
// for a region. Parse them once and share them between rule sets; they are
// safe for concurrent use.
type Partitions struct {
	list []partitionData
	// byRegion maps every listed region to its outputs, which may
	// override its partition's.
	byRegion map[string]map[string]any
	// fallback is the aws partition, for regions no partition claims.
	fallback map[string]any
}

type partitionData struct {
	regex   *regexp.Regexp
	outputs map[string]any
}

// ParsePartitions parses partitions.json.
func ParsePartitions(data []byte) (*Partitions, error) {
	var doc struct {
		Partitions []struct {
			ID          string                    `json:"id"`
			RegionRegex string                    `json:"regionRegex"`
			Regions     map[string]map[string]any `json:"regions"`
			Outputs     map[string]any            `json:"outputs"`
		} `json:"partitions"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("endpoint: partitions: %w", err)
	}
	if len(doc.Partitions) == 0 {
		return nil, errors.New("endpoint: partitions: none listed")
	}
	p := &Partitions{byRegion: map[string]map[string]any{}}
	for _, jp := range doc.Partitions {
		re, err := regexp.Compile(jp.RegionRegex)
		if err != nil {
			return nil, fmt.Errorf("endpoint: partition %s: %w", jp.ID, err)
		}
		out := maps.Clone(jp.Outputs)
		if out == nil {
			out = map[string]any{}
		}
		out["name"] = jp.ID
		p.list = append(p.list, partitionData{regex: re, outputs: out})
		for region, over := range jp.Regions {
			if _, dup := p.byRegion[region]; dup {
				continue // the first partition to list a region keeps it
			}
			ro, cloned := out, false
			for k, v := range over {
				// A region entry may override its partition's outputs;
				// its description is documentation.
				if k == "description" {
					continue
				}
				if !cloned {
					ro, cloned = maps.Clone(out), true
				}
				ro[k] = v
			}
			p.byRegion[region] = ro
		}
		if jp.ID == "aws" {
			p.fallback = out
		}
	}
	if p.fallback == nil {
		p.fallback = p.list[0].outputs
	}
	return p, nil
}

// lookup matches a region by the partitions' region lists first, then by
// their region patterns, and falls back to the aws partition, so that a
// region newer than the data still resolves.
func (p *Partitions) lookup(region string) map[string]any {
	if out, ok := p.byRegion[region]; ok {
		return out
	}
	for _, pd := range p.list {
		if pd.regex.MatchString(region) {
			return pd.outputs
		}
	}
	return p.fallback
}

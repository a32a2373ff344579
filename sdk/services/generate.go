// Package services holds one generated package for each bundled AWS
// service; import the ones a program needs, or services/all.
package services

//go:generate go run ../../internal/svcgen -out .

package sdk

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/aws/smithy-go/auth/bearer"

	"github.com/awslua/awslua/sdk/model"
)

// bearerServices are the signing names whose clients take a bearer token
// from AWS_BEARER_TOKEN_<NAME> over SigV4 when the model allows both, as
// boto3's get_bearer_auth_supported_services lists them.
var bearerServices = []string{"bedrock"}

// bearerTokens returns where a client of svc gets the token it is
// authorized with, as boto3 decides it, or nil when the client signs
// instead: for a service whose model authorizes with a bearer token
// (CodeCatalyst), AWS_BEARER_TOKEN_<SIGNING NAME>, else the profile's SSO
// session token (aws-sdk-go-v2's configuration reads its cache and
// refreshes it); for Bedrock, whose model allows both, that variable when
// it is set.
func bearerTokens(svc *model.Service, signingName string, sso bearer.TokenProvider) bearer.TokenProvider {
	var env bearer.TokenProvider
	if v := os.Getenv(bearerEnvName(signingName)); v != "" {
		env = bearer.StaticTokenProvider{Token: bearer.Token{Value: v}}
	}
	switch {
	case svc.Metadata.SignatureVersion == "bearer" && env != nil:
		return env
	case svc.Metadata.SignatureVersion == "bearer" && sso != nil:
		return sso
	case svc.Metadata.SignatureVersion == "bearer":
		return noToken{}
	case env != nil && slices.Contains(svc.Metadata.Auth, "smithy.api#httpBearerAuth") && slices.Contains(bearerServices, signingName):
		return env
	}
	return nil
}

// bearerEnvName is the variable that holds a service's bearer token:
// AWS_BEARER_TOKEN_BEDROCK for the signing name "bedrock".
func bearerEnvName(signingName string) string {
	return "AWS_BEARER_TOKEN_" + strings.ToUpper(strings.NewReplacer("-", "_", " ", "_").Replace(signingName))
}

// noToken is the token source of a bearer-authorized client without one.
type noToken struct{}

func (noToken) RetrieveBearerToken(context.Context) (bearer.Token, error) {
	return bearer.Token{}, fmt.Errorf("no authorization token: log in to an SSO session (aws sso login) with a profile that names it (sso_session), or set the token's environment variable")
}

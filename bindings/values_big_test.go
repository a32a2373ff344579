package bindings

import (
	"math/big"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// TestBigNumbersToLua: BigInteger and BigDecimal members keep every digit.
func TestBigNumbersToLua(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	registerDynamoValues(L)
	huge, _ := new(big.Int).SetString("123456789012345678901234567890", 10)
	dec, _, _ := big.ParseFloat("3.14159265358979323846264338327950288", 10, 200, big.ToNearestEven)
	for _, tc := range []struct {
		in   any
		want string
	}{
		{big.NewInt(42), "42"},
		{huge, "123456789012345678901234567890"},
		{dec, "3.14159265358979323846264338327950288"},
	} {
		if got := tostring(L, toLua(L, tc.in)); got != tc.want {
			t.Errorf("toLua(%v) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

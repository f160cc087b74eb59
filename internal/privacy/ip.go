package privacy

import (
	"net/netip"
	"strings"
)

// TruncateIP shortens an address to its network, for sites that never keep
// a whole one (Policy.TruncateIPs): an IPv4 address to its /24
// ("203.0.113.77" → "203.0.113.0"), an IPv6 address to its /48
// ("2001:db8:85a3:8d3:1319:8a2e:370:7348" → "2001:db8:85a3::"). IPv4-mapped
// IPv6 addresses count as IPv4; a zone is dropped. Anything that is not an
// IP address becomes "": what cannot be shortened is not kept.
func TruncateIP(ip string) string {
	a, err := netip.ParseAddr(strings.TrimSpace(ip))
	if err != nil {
		return ""
	}
	a = a.Unmap().WithZone("")
	bits := 48
	if a.Is4() {
		bits = 24
	}
	p, err := a.Prefix(bits)
	if err != nil {
		return ""
	}
	return p.Addr().String()
}

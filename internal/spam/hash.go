package spam

// Feature hashing. The model stores only 32-bit hashes of features, never
// the text they came from. The hash must stay stable across releases: the
// serialized model depends on it.

const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

// hashBytes hashes b under a one-byte namespace (the feature kind).
func hashBytes(kind byte, b []byte) uint32 {
	h := uint32(fnvOffset)
	h ^= uint32(kind)
	h *= fnvPrime
	for _, c := range b {
		h ^= uint32(c)
		h *= fnvPrime
	}
	return fmix32(h)
}

// hashString is hashBytes for a string.
func hashString(kind byte, s string) uint32 {
	h := uint32(fnvOffset)
	h ^= uint32(kind)
	h *= fnvPrime
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= fnvPrime
	}
	return fmix32(h)
}

// hashPair combines two hashes under a namespace (used for word bigrams).
func hashPair(kind byte, a, b uint32) uint32 {
	return fmix32(a*0x9E3779B1 ^ (b + 0x7F4A7C15) ^ uint32(kind)<<24)
}

// fmix32 is the MurmurHash3 finaliser: it spreads the low bits so that
// masking to the table size is safe.
func fmix32(h uint32) uint32 {
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	h ^= h >> 16
	return h
}

// mix64 is the SplitMix64 finaliser.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

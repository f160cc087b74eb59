package spam

import (
	_ "embed"
	"sync"
)

//go:generate go run ./gen -out starter.model

// starterModel is the generated starter model (see gen/ and README.md).
//
//go:embed starter.model
var starterModel []byte

var (
	starterOnce sync.Once
	starterM    *model
	starterD    *dupIndex
)

// starter returns a fresh copy of the starter state. If the embedded model
// is missing or unreadable (only while bootstrapping the generator), it is
// an untrained model.
func starter() (*model, *dupIndex) {
	starterOnce.Do(func() {
		m, d, err := unmarshalState(starterModel)
		if err != nil {
			m, d = newModel(modelBits, defaultHyper), newDupIndex()
		}
		starterM, starterD = m, d
	})
	return starterM.clone(), starterD.clone()
}

// Package spam is Marquee's local, learning comment-spam filter: no data
// leaves the server.
//
// A Filter combines
//   - a text model: logistic regression over hashed features (words, word
//     bigrams, character 3-5-grams inside words, digit shapes, link domains
//     and path words, author-name words, e-mail/URL-field domains, and
//     global shape features such as length, capitals, phone numbers, money,
//     link count, code markup), trained online, calibrated (Platt) on
//     cross-validated predictions; the model stores only hashes, never text;
//   - separate signals (signals.go, neardup.go): honeypot, time to submit,
//     post age, link domains (block list, shorteners, trusted documentation
//     hosts, many links), the author's URL, sender history, block words, and
//     a MinHash index of content already marked spam.
//
// Check returns a calibrated score, a verdict (Ham, Unsure, Spam, Discard)
// and the reasons that weighed most. A Spam verdict needs confidence:
// either a strong signal, or a text model that leans spam on text it knows
// (most words seen in training, English or unknown language). Text unlike
// anything learned goes to Unsure at most.
//
// NewFilter starts from the embedded starter model (starter.model, made by
// "go generate ./internal/spam" from public data; see README.md for
// provenance and the CC BY 4.0 attribution). Learn updates the filter at
// once; MarshalBinary/UnmarshalBinary persist the learned state.
package spam

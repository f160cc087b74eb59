package spam

import "time"

// Sample is one comment as submitted, with the request metadata the blog
// knows about. Zero values mean "unknown" and contribute nothing.
type Sample struct {
	Author    string
	Email     string
	URL       string // the author's website field
	Content   string
	IP        string
	UserAgent string
	Referrer  string
	Permalink string
	// PostAge is the age of the post being commented on (0 = unknown).
	PostAge time.Duration
	// SubmitDelay is the time between page load and submit (0 = unknown).
	SubmitDelay time.Duration
	// Honeypot is the value of the hidden honeypot field; non-empty means
	// a bot filled it.
	Honeypot string
	// Lang is the declared or detected language of the comment ("en", "de",
	// ...; empty = unknown).
	Lang string
}

// History is what the caller knows about earlier comments from the same
// e-mail address and IP address.
type History struct {
	ApprovedByEmail int // earlier comments from this e-mail that were approved
	SpamByEmail     int // earlier comments from this e-mail marked spam
	SpamByIP        int // earlier comments from this IP marked spam
}

// Verdict is the moderation decision for a comment.
type Verdict string

// Verdicts, from most to least lenient.
const (
	Ham     Verdict = "ham"     // publish
	Unsure  Verdict = "unsure"  // hold for moderation
	Spam    Verdict = "spam"    // put in the spam folder
	Discard Verdict = "discard" // blatant spam: drop without review
)

// Reason is one feature that weighed on the score. Weight is its
// contribution in log-odds units: positive pushes towards spam, negative
// towards ham.
type Reason struct {
	Feature string
	Weight  float64
}

// Result is the outcome of Filter.Check.
type Result struct {
	Score   float64 // probability of spam, in [0,1]
	Verdict Verdict
	Reasons []Reason // the features that weighed most, at most MaxReasons
}

// MaxReasons is the most Reasons a Result carries.
const MaxReasons = 5

// IsSpam reports whether the verdict blocks the comment (Spam or Discard).
func (r Result) IsSpam() bool { return r.Verdict == Spam || r.Verdict == Discard }

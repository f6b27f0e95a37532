package bot

// The words /ask reads as what kind of answer a question wants. They are
// plain English question words, the same for any corpus: what a question
// is about comes from the briefs' names and aliases, never from here.

// intent is a kind of question, as a bit set.
type intent uint16

const (
	intentStance   intent = 1 << iota // someone's stance or position
	intentWho                         // who a person is, what they said
	intentWhen                        // when something happened or is due
	intentOptions                     // what the options are
	intentDemand                      // what someone demands or wants in exchange
	intentCompare                     // two actors side by side
	intentDisputes                    // where the documents disagree
	intentOpen                        // what is unclear or unresolved
	intentSources                     // which documents
	intentHelp                        // what the bot can do
	intentGreeting                    // hello, thanks
)

// wordRole says what a question word does: it signals an intent, and it is
// either dropped from ranking (a pure question word such as "stance") or
// kept as a search term too ("send").
type wordRole struct {
	intent intent
	keep   bool
}

// intentWords maps question words to their role.
var intentWords = map[string]wordRole{
	// stance
	"stance": {intentStance, false}, "stances": {intentStance, false}, "position": {intentStance, false},
	"positions": {intentStance, false}, "view": {intentStance, false}, "views": {intentStance, false},
	"think": {intentStance, false}, "thinks": {intentStance, false}, "stand": {intentStance, false},
	"stands": {intentStance, false}, "attitude": {intentStance, false}, "policy": {intentStance, false},
	"feel": {intentStance, false}, "opinion": {intentStance, false}, "approach": {intentStance, false},
	"support": {intentStance, true}, "supports": {intentStance, true}, "oppose": {intentStance, true},
	"opposes": {intentStance, true}, "willing": {intentStance, true}, "ready": {intentStance, true},
	"send": {intentStance, true}, "sends": {intentStance, true}, "sending": {intentStance, true},
	"deploy": {intentStance, true}, "deploying": {intentStance, true}, "contribute": {intentStance, true},
	"offer": {intentStance, true}, "offers": {intentStance, true}, "provide": {intentStance, true},
	"commit": {intentStance, true}, "reject": {intentStance, true}, "rejects": {intentStance, true},
	"refuse": {intentStance, true}, "refuses": {intentStance, true}, "plan": {intentStance, true},
	"plans": {intentStance, true}, "agree": {intentStance, true}, "agrees": {intentStance, true},
	// who
	"who": {intentWho, false}, "whois": {intentWho, false}, "whom": {intentWho, false},
	"say": {intentWho, false}, "said": {intentWho, false}, "says": {intentWho, false},
	"saying": {intentWho, false}, "quote": {intentWho, false}, "quoted": {intentWho, false},
	"quotes": {intentWho, false}, "statement": {intentWho, true}, "statements": {intentWho, true},
	// when
	"when": {intentWhen, false}, "date": {intentWhen, false}, "dates": {intentWhen, false},
	"day": {intentWhen, false}, "timeline": {intentWhen, false}, "chronology": {intentWhen, false},
	"happened": {intentWhen, false}, "happen": {intentWhen, false}, "deadline": {intentWhen, true},
	"deadlines": {intentWhen, true}, "schedule": {intentWhen, false}, "scheduled": {intentWhen, false},
	// options
	"options": {intentOptions, false}, "option": {intentOptions, false}, "choices": {intentOptions, false},
	"alternatives": {intentOptions, false}, "proposals": {intentOptions, false}, "ideas": {intentOptions, false},
	"scenarios": {intentOptions, false}, "models": {intentOptions, false},
	// demands
	"want": {intentDemand, false}, "wants": {intentDemand, false}, "wanted": {intentDemand, false},
	"demand": {intentDemand, false}, "demands": {intentDemand, false}, "demanded": {intentDemand, false},
	"demanding": {intentDemand, false}, "condition": {intentDemand, false}, "conditions": {intentDemand, false},
	"exchange": {intentDemand, false}, "terms": {intentDemand, false}, "insist": {intentDemand, false},
	"insists": {intentDemand, false}, "price": {intentDemand, false}, "require": {intentDemand, false},
	"requires": {intentDemand, false}, "trade": {intentDemand, false}, "concessions": {intentDemand, true},
	// compare
	"compare": {intentCompare, false}, "compared": {intentCompare, false}, "comparison": {intentCompare, false},
	"versus": {intentCompare, false}, "vs": {intentCompare, false}, "differ": {intentCompare | intentDisputes, false},
	"differs": {intentCompare | intentDisputes, false}, "difference": {intentCompare, false},
	"differences": {intentCompare, false}, "different": {intentCompare, false},
	// disputes
	"dispute": {intentDisputes, false}, "disputes": {intentDisputes, false}, "disputed": {intentDisputes, false},
	"disagree": {intentDisputes, false}, "disagrees": {intentDisputes, false}, "disagreement": {intentDisputes, false},
	"contradict": {intentDisputes, false}, "contradicts": {intentDisputes, false},
	"contradiction": {intentDisputes, false}, "contradictions": {intentDisputes, false},
	"conflicting": {intentDisputes, false}, "inconsistent": {intentDisputes, false}, "contested": {intentDisputes, false},
	// open questions
	"unclear": {intentOpen, false}, "unknown": {intentOpen, false}, "unknowns": {intentOpen, false},
	"unresolved": {intentOpen, false}, "uncertain": {intentOpen, false}, "unanswered": {intentOpen, false},
	// sources
	"sources": {intentSources, false}, "source": {intentSources, false}, "documents": {intentSources, false},
	"document": {intentSources, false}, "articles": {intentSources, false},
	// help and greetings
	"help": {intentHelp, false}, "commands": {intentHelp, false},
	"hello": {intentGreeting, false}, "hi": {intentGreeting, false}, "hey": {intentGreeting, false},
	"thanks": {intentGreeting, false}, "thank": {intentGreeting, false},
}

// fillerWords are common in questions but say nothing about the subject;
// they are neither searched for nor counted as something not covered.
var fillerWords = map[string]bool{
	"tell": true, "know": true, "please": true, "anything": true, "something": true, "much": true,
	"many": true, "could": true, "would": true, "may": true, "might": true, "must": true, "shall": true,
	"also": true, "ever": true, "yet": true, "still": true, "really": true, "like": true, "get": true,
	"got": true, "going": true, "go": true, "exactly": true, "actually": true, "currently": true,
	"now": true, "today": true, "us": true, "me": true, "give": true, "show": true,
	"explain": true, "describe": true, "summarise": true, "summarize": true, "summary": true,
	"latest": true, "recent": true, "news": true, "info": true, "information": true, "details": true,
	"detail": true, "briefly": true, "quickly": true, "way": true, "kind": true, "sort": true,
	"bot": true, "briefbot": true, "ok": true, "okay": true, "yes": true, "let": true, "lets": true,
	"can": true, "cannot": true, "need": true, "wonder": true, "question": true,
	"answer": true, "one": true, "ones": true, "exist": true, "exists": true, "anyone": true,
	"someone": true, "somebody": true, "everyone": true, "everybody": true, "thing": true, "things": true,
}

// chatMonths are month names and abbreviations, for dates in questions.
var chatMonths = map[string]int{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
	"may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
	"sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

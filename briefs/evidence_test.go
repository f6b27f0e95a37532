package briefs

import (
	"slices"
	"testing"
)

func TestNamesPerson(t *testing.T) {
	zelensky := &Brief{ID: "zelensky", Name: "Volodymyr Zelensky", Aliases: []string{"selenskyj", "zelenskyj"}}
	kk := &Brief{ID: "kosiniak-kamysz", Name: "Władysław Kosiniak-Kamysz"}
	trump := &Brief{ID: "trump", Name: "Donald Trump", Aliases: []string{"us president"}}
	nielsen := &Brief{ID: "nielsen", Name: "Anders Puck Nielsen"}
	for _, tc := range []struct {
		p    *Brief
		text string
		want bool
	}{
		{zelensky, "Ukrainian President Volodymyr Zelenskyy said after a meeting", true}, // a spelling one letter longer
		{zelensky, "Meanwhile, Selenskyj has suggested that they should meet", true},     // an alias
		{zelensky, "the Ukrainian president's term expired", false},
		{kk, "Defense Minister Władysław Kosiniak-Kamysz rejects the deployment", true},
		{kk, "Defence minister Kosiniak Kamysz said", true},
		{kk, "said the minister", false},
		{trump, "Trump's plans include the potential deployment", true}, // possessive
		{trump, "the Trump-Putin summit in Alaska", true},
		{trump, "the US president said", true},
		{trump, "Trumpeter", false},
		{nielsen, "believes the Dane", false},
		{nielsen, "says Nielsen.", true},
		{nielsen, "Nielson says", false},
	} {
		if got := namesPerson(tc.p, []string{Normalize(tc.text)}); got != tc.want {
			t.Errorf("namesPerson(%s, %q) = %v, want %v", tc.p.ID, tc.text, got, tc.want)
		}
	}
}

func TestUnnamedWords(t *testing.T) {
	para := "According to three officials quoted by WSJ, these guarantees would cover bilateral security commitments."
	for _, tc := range []struct {
		attribution string
		want        []string
	}{
		{"three officials quoted by the WSJ", nil},
		{"three officials, as reported by The Wall Street Journal", []string{"wall", "street", "journal"}},
		{"unnamed sources", nil}, // names nobody, as the text does
		{"German government circles", []string{"german", "government", "circles"}},
	} {
		if got := unnamedWords(tc.attribution, []string{Normalize(para)}); !slices.Equal(got, tc.want) {
			t.Errorf("unnamedWords(%q) = %q, want %q", tc.attribution, got, tc.want)
		}
	}
}

package discord

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"reflect"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
)

// TestPosterAttachesTablePicture: a matrix digest goes out as multipart
// form data: payload_json carries the nonce, enforce_nonce, no mentions,
// the marked custom id of the Sources button and the embed that shows
// the picture, and the PNG itself is attached under the name the embed
// names. A fan-out to several channels draws the picture once.
func TestPosterAttachesTablePicture(t *testing.T) {
	fake := newFakeDiscord(t)
	p := newTestPoster(t, fake)
	r, _, err := shippedEngine(t, nil).Digest(bot.DigestMatrix, nil)
	if err != nil {
		t.Fatal(err)
	}
	channels := []string{"300000000000000001", "300000000000000002", "300000000000000003"}
	parts := len(render(r))
	for _, ch := range channels {
		for part := range parts {
			m := bot.PostMark{Key: "schedule:matrix|discord:" + ch + "|2025-06-02T05:00:00Z", Part: part, At: testMark.At}
			if _, err := p.Send(t.Context(), ch, r, m); err != nil {
				t.Fatalf("%s part %d: %v", ch, part, err)
			}
		}
	}
	calls := fake.all()
	if len(calls) != len(channels)*parts {
		t.Fatalf("%d requests for %d channels of %d messages", len(calls), len(channels), parts)
	}
	var pictures [][]byte
	for i, c := range calls {
		ch, part := channels[i/parts], i%parts
		m := bot.PostMark{Key: "schedule:matrix|discord:" + ch + "|2025-06-02T05:00:00Z", Part: part}
		payload, files := multipartBody(t, c)
		if payload == nil {
			continue // a message of the digest without a picture
		}
		var body struct {
			Nonce           string `json:"nonce"`
			EnforceNonce    bool   `json:"enforce_nonce"`
			AllowedMentions struct {
				Parse []string `json:"parse"`
			} `json:"allowed_mentions"`
			Embeds []struct {
				Image *struct {
					URL string `json:"url"`
				} `json:"image"`
			} `json:"embeds"`
			Components []struct {
				Components []struct {
					Label    string `json:"label"`
					CustomID string `json:"custom_id"`
				} `json:"components"`
			} `json:"components"`
		}
		if err := json.Unmarshal(payload, &body); err != nil {
			t.Fatalf("payload_json: %v\n%s", err, payload)
		}
		if body.Nonce != Nonce(m) || !body.EnforceNonce || body.AllowedMentions.Parse == nil || len(body.AllowedMentions.Parse) != 0 {
			t.Errorf("%s part %d: nonce %q enforce %v mentions %v", ch, part, body.Nonce, body.EnforceNonce, body.AllowedMentions.Parse)
		}
		if len(body.Components) != 1 || len(body.Components[0].Components) != 1 ||
			body.Components[0].Components[0].CustomID != digestButtonID(m) || body.Components[0].Components[0].Label != sourcesLabel {
			t.Errorf("%s part %d: components %+v", ch, part, body.Components)
		}
		shown := 0
		for _, em := range body.Embeds {
			if em.Image == nil {
				continue
			}
			name := strings.TrimPrefix(em.Image.URL, "attachment://")
			if img, ok := files[name]; !ok || !bytes.HasPrefix(img, []byte("\x89PNG")) {
				t.Errorf("%s part %d: the embed shows %q, not an attached PNG (files %d)", ch, part, em.Image.URL, len(files))
			} else {
				pictures = append(pictures, img)
			}
			shown++
		}
		if shown != len(files) {
			t.Errorf("%s part %d: %d pictures shown, %d attached", ch, part, shown, len(files))
		}
	}
	if len(pictures) != len(channels) {
		t.Fatalf("%d pictures posted to %d channels", len(pictures), len(channels))
	}
	for _, img := range pictures[1:] {
		if !bytes.Equal(img, pictures[0]) {
			t.Error("the channels got different pictures")
		}
	}
	// Drawn once: the sends kept the reply's messages, and every use of
	// them holds the same bytes.
	p.rendered.mu.Lock()
	_, kept := p.rendered.m[renderKey{r, ""}]
	p.rendered.mu.Unlock()
	if !kept {
		t.Error("the poster renders the reply again for each message")
	}
	a, b := p.rendered.get(r, ""), p.rendered.get(r, "")
	for i := range a {
		for j := range a[i].Files {
			if &a[i].Files[j].Data[0] != &b[i].Files[j].Data[0] {
				t.Errorf("message %d's picture is drawn again for each use", i)
			}
		}
	}
}

// TestPosterSendsJSONWithoutFiles: a digest without a picture stays one
// JSON request.
func TestPosterSendsJSONWithoutFiles(t *testing.T) {
	fake := newFakeDiscord(t)
	p := newTestPoster(t, fake)
	if _, err := p.Send(t.Context(), "300000000000000001", digestReply(), testMark); err != nil {
		t.Fatal(err)
	}
	if ct := fake.all()[0].Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
}

// multipartBody reads a multipart request: payload_json and the files by
// name. A JSON request gives nil, nil.
func multipartBody(t *testing.T, c call) ([]byte, map[string][]byte) {
	t.Helper()
	mediaType, params, err := mime.ParseMediaType(c.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type %q: %v", c.Header.Get("Content-Type"), err)
	}
	if mediaType == "application/json" {
		return nil, nil
	}
	if mediaType != "multipart/form-data" {
		t.Fatalf("Content-Type %q", mediaType)
	}
	mr := multipart.NewReader(bytes.NewReader(c.Body), params["boundary"])
	var payload []byte
	files := map[string][]byte{}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("multipart: %v", err)
		}
		data, _ := io.ReadAll(part)
		if part.FormName() == "payload_json" {
			payload = data
			continue
		}
		files[part.FileName()] = data
	}
	return payload, files
}

// TestPreviewPostIsWhatThePosterSends: the console's digest form is the
// bodies the poster sends for a post marked "preview", Sources button,
// nonce, embeds and all.
func TestPreviewPostIsWhatThePosterSends(t *testing.T) {
	r, _, err := shippedEngine(t, nil).Digest(bot.DigestMatrix, nil)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := NewPreviews(r).Post()
	if err != nil {
		t.Fatal(err)
	}
	var preview []any
	if err := json.Unmarshal(raw, &preview); err != nil {
		t.Fatal(err)
	}
	fake := newFakeDiscord(t)
	p := newTestPoster(t, fake)
	for part := range p.Parts(r) {
		if _, err := p.Send(t.Context(), "300000000000000001", r, bot.PostMark{Key: "preview", Part: part}); err != nil {
			t.Fatal(err)
		}
	}
	calls := fake.all()
	if len(calls) != len(preview) {
		t.Fatalf("%d messages sent, %d previewed", len(calls), len(preview))
	}
	for i, c := range calls {
		body, _ := multipartBody(t, c)
		if body == nil {
			body = c.Body
		}
		var sent any
		if err := json.Unmarshal(body, &sent); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(sent, preview[i]) {
			t.Errorf("message %d: sent\n%s\npreviewed\n%v", i, body, preview[i])
		}
	}
}

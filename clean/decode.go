package clean

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

// NotPostError is a file that is not a text post at all, such as a binary
// file with a .md name. It is an error, not a warning: such a file is left
// untouched, so not sanitised either, and a run must not call it clean.
type NotPostError struct{ Offset int }

func (e *NotPostError) Error() string {
	return fmt.Sprintf("not a text post (NUL byte at offset %d); not cleaned", e.Offset)
}

// EncodingError is a post that is not UTF-8 and whose encoding is neither
// declared nor recognisable.
type EncodingError struct{ Offset int }

func (e *EncodingError) Error() string {
	return fmt.Sprintf("invalid UTF-8 at byte offset %d, and no declared or recognisable encoding", e.Offset)
}

// fromUTF16 decodes a post that begins with a UTF-16 byte-order mark, and
// names the encoding; any other post is returned as it is.
func fromUTF16(src []byte) ([]byte, string, error) {
	var enc encoding.Encoding
	var name string
	switch {
	case bytes.HasPrefix(src, []byte{0xFF, 0xFE}):
		enc, name = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), "utf-16le"
	case bytes.HasPrefix(src, []byte{0xFE, 0xFF}):
		enc, name = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), "utf-16be"
	default:
		return src, "", nil
	}
	out, ok := decodeAll(enc, src)
	if !ok {
		return nil, "", fmt.Errorf("begins with a %s byte-order mark but is not valid %s; not cleaned", strings.ToUpper(name[:6]), strings.ToUpper(name))
	}
	return out, name, nil
}

// toUTF8 returns src as UTF-8, and the name of the encoding it was decoded
// from ("" when it already was UTF-8). A post that is not UTF-8 is decoded
// by the charset its HTML declares (<meta charset>, or a byte-order mark),
// or else by GB18030 or Big5 when its bytes read clearly as Chinese text in
// one of them: the encodings scraped Chinese sites use.
func toUTF8(src []byte) ([]byte, string, error) {
	if utf8.Valid(src) {
		return src, "", nil
	}
	// DetermineEncoding reads a byte-order mark or a <meta> declaration,
	// and otherwise guesses windows-1252, which says nothing.
	if enc, name, _ := charset.DetermineEncoding(src, ""); name != "windows-1252" && name != "utf-8" {
		if out, ok := decodeAll(enc, src); ok {
			return out, name, nil
		}
	}
	best, bestName, bestScore := []byte(nil), "", 0
	for _, c := range []struct {
		name string
		enc  encoding.Encoding
	}{{"gb18030", simplifiedchinese.GB18030}, {"big5", traditionalchinese.Big5}} {
		out, ok := decodeAll(c.enc, src)
		if !ok {
			continue
		}
		if s := chineseScore(out); s > bestScore {
			best, bestName, bestScore = out, c.name, s
		}
	}
	if bestScore > 0 {
		return best, bestName, nil
	}
	return nil, "", &EncodingError{Offset: invalidOffset(src)}
}

// decodeAll decodes src, and fails where the decoder had to guess.
func decodeAll(enc encoding.Encoding, src []byte) ([]byte, bool) {
	out, err := enc.NewDecoder().Bytes(src)
	if err != nil || bytes.Count(out, []byte("\uFFFD")) > bytes.Count(src, []byte("\uFFFD")) {
		return nil, false
	}
	return out, true
}

// Characters among the most frequent in Chinese text, in the simplified
// and the traditional forms; common ones that both share are left out.
const (
	commonSimplified  = "的这个们来为国说时会对后过还经发现问题动开实学么没着关"
	commonTraditional = "的這個們來為國說時會對後過還經發現問題動開實學麼沒著關"
)

// chineseScore says how much text reads as Chinese: the count of common
// characters, when there are at least five and they are at least one in
// twenty of its CJK characters (in real text these few make up one in ten or
// more); 0 otherwise. Bytes decoded with the wrong table, or bytes that are
// no text at all, give mostly rare characters.
func chineseScore(text []byte) int {
	cjk, common := 0, 0
	for _, r := range string(text) {
		if r >= 0x4E00 && r <= 0x9FFF {
			cjk++
			if strings.ContainsRune(commonSimplified, r) || strings.ContainsRune(commonTraditional, r) {
				common++
			}
		}
	}
	if common < 5 || common*20 < cjk {
		return 0
	}
	return common
}

func invalidOffset(src []byte) int {
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(src)
}

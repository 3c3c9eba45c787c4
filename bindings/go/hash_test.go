package vigil

import (
	"bytes"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"image"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func sharedDir() string {
	if d := os.Getenv("VIGIL_SHARED_DIR"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared")
}

var (
	pdqDir    = filepath.Join(sharedDir(), "testdata", "pdq")
	bridgeJPG = filepath.Join(pdqDir, "upstream", "data", "reg-test-input", "dih", "bridge-1-original.jpg")
	rotated   = filepath.Join(pdqDir, "upstream", "data", "reg-test-input", "dih", "bridge-2-rotate-90.jpg")
	bridgePNG = filepath.Join(pdqDir, "decoded", "data", "reg-test-input", "dih", "bridge-1-original.png")
)

const refBridge = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22"

func needPDQData(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(bridgeJPG); err != nil {
		t.Skip("shared/testdata/pdq absent")
	}
}

func wantCode(t *testing.T, err error, code int) *Error {
	t.Helper()
	var ve *Error
	if !errors.As(err, &ve) || ve.Code != code {
		t.Fatalf("want error code %d, got %v", code, err)
	}
	return ve
}

func TestDigestKnownVectors(t *testing.T) {
	cases := []struct {
		kind DigestKind
		in   string
		want string
	}{
		{MD5, "abc", "900150983cd24fb0d6963f7d28e17f72"},
		{SHA256, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{XXH3128, "", "99aa06d3014798d86001c324468d497f"},
	}
	for _, c := range cases {
		got, err := DigestString(c.kind, c.in)
		if err != nil || hex.EncodeToString(got) != c.want {
			t.Errorf("%v(%q) = %x, %v; want %s", c.kind, c.in, got, err, c.want)
		}
		if c.kind.Size() != len(got) {
			t.Errorf("%v.Size() = %d", c.kind, c.kind.Size())
		}
	}
	path := filepath.Join(t.TempDir(), "data.bin")
	data := bytes.Repeat([]byte("abc"), 100000)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	kinds := DigestKinds()
	if len(kinds) < 3 {
		t.Fatalf("DigestKinds() = %v", kinds)
	}
	for _, k := range kinds { // every kind the library knows, including ones added later
		fromFile, err := DigestFile(k, path)
		fromMem, err2 := Digest(k, data)
		if err != nil || err2 != nil || !bytes.Equal(fromFile, fromMem) || len(fromMem) != k.Size() {
			t.Errorf("%v: file %x (%v) vs memory %x (%v)", k, fromFile, err, fromMem, err2)
		}
		if byName, err := DigestKindByName(k.String()); err != nil || byName != k {
			t.Errorf("DigestKindByName(%q) = %v, %v", k.String(), byName, err)
		}
	}
	if k, err := DigestKindByName("xxh3"); err != nil || k != XXH3128 {
		t.Errorf("xxh3 alias: %v %v", k, err)
	}
	_, err := DigestKindByName("sha1")
	wantCode(t, err, ErrCodeInvalid)
	_, err = Digest(DigestKind(999), data)
	wantCode(t, err, ErrCodeInvalid)
	_, err = DigestFile(SHA256, filepath.Join(t.TempDir(), "missing"))
	if e := wantCode(t, err, ErrCodeIO); !strings.Contains(e.Message, "missing") {
		t.Errorf("message does not name the file: %q", e.Message)
	}
}

func TestHexAndDistance(t *testing.T) {
	b, err := FromHex("00FFab")
	if err != nil || !bytes.Equal(b, []byte{0, 0xff, 0xab}) || ToHex(b) != "00ffab" {
		t.Fatalf("FromHex: %x %v", b, err)
	}
	if b, err := FromHex(""); err != nil || len(b) != 0 {
		t.Errorf("FromHex(\"\") = %x, %v", b, err)
	}
	for _, bad := range []string{"abc", "zz"} {
		_, err := FromHex(bad)
		wantCode(t, err, ErrCodeHash)
	}
	if d, err := Distance([]byte{0, 0xff}, []byte{1, 0xff}); d != 1 || err != nil {
		t.Errorf("Distance = %d, %v", d, err)
	}
	if d, _ := Distance(make([]byte, 32), bytes.Repeat([]byte{0xff}, 32)); d != 256 {
		t.Errorf("Distance = %d", d)
	}
	_, err = Distance([]byte{0}, []byte{0, 0})
	wantCode(t, err, ErrCodeInvalid)
}

func TestTextSketches(t *testing.T) {
	n, err := Normalize("JOIN the c@r@v@n!!")
	if err != nil || !strings.HasPrefix(n, "join the caravan") {
		t.Fatalf("Normalize = %q, %v", n, err)
	}
	a, _ := SimHash64("JOIN the c@r@v@n!!", 0)
	b, _ := SimHash64("join the caravan", 0)
	if a != b || a == 0 {
		t.Errorf("SimHash64: %016x vs %016x", a, b)
	}
	if z, err := SimHash64("", 0); z != 0 || err != nil {
		t.Errorf("SimHash64(\"\") = %x, %v", z, err)
	}
	_, err = SimHash64("x", -1)
	wantCode(t, err, ErrCodeInvalid)
	m1, err := MinHash("JOIN the c@r@v@n today", 0)
	if err != nil || len(m1) != MinHashSlots {
		t.Fatalf("MinHash: %d slots, %v", len(m1), err)
	}
	m2, _ := MinHash("join the caravan today", 0)
	m3, _ := MinHash("tea in the garden at noon", 0)
	if s, _ := MinHashSimilarity(m1, m2); s != 1 {
		t.Errorf("similarity of equal texts = %v", s)
	}
	if s, _ := MinHashSimilarity(m1, m3); s >= 0.2 {
		t.Errorf("similarity of unrelated texts = %v", s)
	}
	_, err = MinHashSimilarity(m1, m1[:10])
	wantCode(t, err, ErrCodeInvalid)
}

type pdqRow struct {
	png, hash string
	quality   int
}

func referenceRows(t *testing.T) []pdqRow {
	f, err := os.Open(filepath.Join(pdqDir, "expected_hashes.csv"))
	if err != nil {
		t.Skip("expected_hashes.csv absent")
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("reading expected_hashes.csv: %v", err)
	}
	col := map[string]int{}
	for i, name := range recs[0] {
		col[name] = i
	}
	var rows []pdqRow
	for _, r := range recs[1:] {
		if r[col["decoded_png"]] == "" {
			continue
		}
		q, err := strconv.Atoi(r[col["ref_quality"]])
		if err != nil {
			t.Fatalf("bad quality %q", r[col["ref_quality"]])
		}
		rows = append(rows, pdqRow{r[col["decoded_png"]], r[col["ref_hash"]], q})
	}
	return rows
}

func decodePNG(t *testing.T, path string) ([]byte, image.Image) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return data, img
}

// Every decoded reference PNG, decoded by Go's image/png and hashed from its pixels, gives the
// reference hash and quality; so do its bytes and its file.
func TestPDQReferencePNGs(t *testing.T) {
	rows := referenceRows(t)
	if len(rows) == 0 {
		t.Fatal("no reference rows")
	}
	for _, row := range rows {
		path := filepath.Join(pdqDir, row.png)
		data, img := decodePNG(t, path)
		h, err := PDQ(img, nil)
		if err != nil || h.Hex() != row.hash || h.Quality != row.quality {
			t.Errorf("%s (%T): %s q%d, %v; want %s q%d", row.png, img, h.Hex(), h.Quality, err, row.hash, row.quality)
			continue
		}
		fromBytes, err := PDQImageBytes(data, nil)
		fromFile, err2 := PDQFile(path, nil)
		if err != nil || err2 != nil || fromBytes.Hash != h.Hash || fromFile.Hash != h.Hash {
			t.Errorf("%s: bytes %s (%v), file %s (%v)", row.png, fromBytes.Hex(), err, fromFile.Hex(), err2)
		}
	}
}

// The same picture as Gray, RGBA, NRGBA, a sub-image, a paletted image and BGR raw pixels.
func TestPDQImageTypes(t *testing.T) {
	needPDQData(t)
	_, img := decodePNG(t, bridgePNG)
	want, err := PDQ(img, nil)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	rgba := image.NewRGBA(b)
	draw.Draw(rgba, b, img, b.Min, draw.Src)
	padded := image.NewNRGBA(image.Rect(0, 0, b.Dx()+7, b.Dy()+3))
	draw.Draw(padded, b.Add(image.Pt(7, 3)), img, b.Min, draw.Src)
	sub := padded.SubImage(b.Add(image.Pt(7, 3)))
	for name, m := range map[string]image.Image{"rgba": rgba, "subimage": sub} {
		if h, err := PDQ(m, nil); err != nil || h.Hash != want.Hash {
			t.Errorf("%s: %s, %v", name, h.Hex(), err)
		}
	}
	bgr := make([]byte, 0, b.Dx()*b.Dy()*3)
	px := rgba.Pix
	for i := 0; i < len(px); i += 4 {
		bgr = append(bgr, px[i+2], px[i+1], px[i])
	}
	if h, err := PDQPixels(Pixels{Data: bgr, Width: b.Dx(), Height: b.Dy(), Format: BGR8}, nil); err != nil || h.Hash != want.Hash {
		t.Errorf("bgr: %s, %v", h.Hex(), err)
	}
	grey := image.NewGray(b)
	draw.Draw(grey, b, img, b.Min, draw.Src)
	gh, err := PDQ(grey, nil)
	if d, _ := Distance(gh.Hash[:], want.Hash[:]); err != nil || d > 31 {
		t.Errorf("grey: distance %d, %v", d, err)
	}
	var enc bytes.Buffer
	if err := png.Encode(&enc, grey); err != nil {
		t.Fatal(err)
	}
	if h, err := PDQImageBytes(enc.Bytes(), nil); err != nil || h.Hash != gh.Hash {
		t.Errorf("grey png bytes: %s vs %s, %v", h.Hex(), gh.Hex(), err)
	}
}

func TestPDQDihedralAndOptions(t *testing.T) {
	needPDQData(t)
	h, err := PDQFile(bridgeJPG, &PDQOptions{Squash: true, Dihedral: true})
	if err != nil || h.Quality != 100 || len(h.Dihedral) != 8 || h.Dihedral[0] != h.Hash {
		t.Fatalf("dihedral: %+v, %v", h.Quality, err)
	}
	ref, _ := FromHex(refBridge)
	if d, _ := Distance(h.Hash[:], ref); d > 10 {
		t.Errorf("distance to the reference = %d", d)
	}
	if names := DihedralNames(); names[0] != "orig" || names[1] != "rot90" || len(names) != 8 {
		t.Errorf("DihedralNames = %v", names)
	}
	r, _ := PDQFile(rotated, nil)
	if d, _ := Distance(r.Hash[:], h.Dihedral[1][:]); d > 31 {
		t.Errorf("rot90 distance %d", d)
	}
	full, err := PDQFile(bridgeJPG, &PDQOptions{Squash: false})
	if err != nil || full.Hash == h.Hash || full.Dihedral != nil {
		t.Errorf("unsquashed: %s, %v", full.Hex(), err)
	}
	_, err = PDQFile(bridgeJPG, &PDQOptions{Squash: true, MaxPixels: 1000})
	wantCode(t, err, ErrCodeImage)
}

func TestPDQBadInput(t *testing.T) {
	_, err := PDQImageBytes([]byte("not an image"), nil)
	wantCode(t, err, ErrCodeImage)
	_, err = PDQPixels(Pixels{Data: make([]byte, 10), Width: 16, Height: 16, Format: Grey8}, nil)
	wantCode(t, err, ErrCodeImage)
	_, err = PDQPixels(Pixels{Data: make([]byte, 256), Width: 16, Height: 16, Stride: 32, Format: Grey8}, nil)
	wantCode(t, err, ErrCodeImage)
	_, err = PDQPixels(Pixels{Data: make([]byte, 256), Width: -1, Height: 16, Format: Grey8}, nil)
	wantCode(t, err, ErrCodeImage)
	_, err = PDQPixels(Pixels{Data: make([]byte, 256), Width: 16, Height: 16, Format: PixelFormat(42)}, nil)
	wantCode(t, err, ErrCodeInvalid)
	_, err = PDQFile(filepath.Join(t.TempDir(), "missing.png"), nil)
	wantCode(t, err, ErrCodeIO)
	tiny := image.NewGray(image.Rect(0, 0, 4, 4))
	if h, err := PDQ(tiny, nil); err != nil || h.Quality != 0 || h.Hash != [32]byte{} {
		t.Errorf("tiny: %s q%d, %v", h.Hex(), h.Quality, err)
	}
}

#!/usr/bin/python3
# gen_corpus.py: writes the seed corpora of the fuzz targets that are not
# hand-made (tests/fuzz/CMakeLists.txt): csv, las, png and the lua_* ones.
# Run from the source root with Debian's /usr/bin/python3 (Pillow 9.4):
#   /usr/bin/python3 tests/fuzz/gen_corpus.py
# The LAS seeds are the files of tests/fixtures/las cut to their first three
# points (header counts and EVLR offset fixed), so that they stay small.
import io
import os
import shutil
import struct
import zlib

from PIL import Image

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def reset(name):
    d = os.path.join(ROOT, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def write(d, name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# ---- CSV: byte 0 of the csv target picks separator (ctl % 5: sniffed , ; tab |),
# comment '#' (bit 3), Latin-1 input (bit 4), two threads (bit 5) ----
CSV = {
    "basic": b"a,b,c,t\n1,2.5,x,2019-09-20 10:53:00\n2,,y,2019-09-21\n3,1e3,\"q, r\",2019-09-22 00:00:01.5\n",
    "semicolon": b"t;a;b\n20/09/2019;1,5;NAN\n21/09/2019;-30000;2\n",
    "quoted": b"a,b\n\"x\"\"y\",1\n\"multi\nline\",2\n'single',3\n",
    "bom_crlf": b"\xef\xbb\xbfa,b,c\r\n1,True,2016-02-29\r\n2,false,2016-03-01 12:30:00.123456789\r\n",
    "comments": b"# header comment\na|b|c\n1|2|3 # trailing\n\n4|5|6\n",
    "ints": b"a,b\n1,-9223372036854775808\n2,9223372036854775807\n3,18446744073709551616\n4,1e-400\n",
    "latin1": b"a,b\ncaf\xe9,1\nna\xefve,2\n",
    "dates": b"t,a\n2014-01-03T10:40:00Z,1\n2014-01-03 10:45,2\nNaT,3\n20140103,4\n",
    "ragged": b"a,b,c\n1,2\n3,4,5,6\n",
    "thousands": b"a\tb\n1.234,5\t2 000\n-0,25\t1.234.567,89\n",
    "dupnames": b"a,a,b,,a.1\n1,2,3,4,5\n",
    "empty": b"",
    "header_only": b"a,b,c\n",
}
CTL = {"basic": 0, "semicolon": 2, "quoted": 1, "bom_crlf": 1 | 32, "comments": 4 | 8,
       "ints": 1, "latin1": 16 | 1, "dates": 0, "ragged": 1, "thousands": 3,
       "dupnames": 1, "empty": 0, "header_only": 0}

d = reset("csv")
for k, v in CSV.items():
    write(d, k, bytes([CTL[k]]) + v)

# ---- the lua_* targets: byte 0 = number of options (bits 0-2), the reader's
# second form (bit 6), gzip (bit 7); then (option, value) index pairs ----
d = reset("lua_csv")
for k, v in CSV.items():
    write(d, k, b"\x00" + v)
# a few option sets (indices into fuzz_lua.lua's sorted option names)
write(d, "opts_sep", b"\x01\x10\x01" + CSV["semicolon"])
write(d, "opts_two", b"\x02\x0c\x00\x0e\x00" + CSV["basic"])
write(d, "gz_basic", b"\x80" + CSV["basic"])
write(d, "two_files", b"\x40" + CSV["basic"])


def copy_prefixed(src, dst, extra=()):
    d = reset(dst)
    for s in (src,) + tuple(extra):
        sd = os.path.join(ROOT, s)
        for name in sorted(os.listdir(sd)):
            with open(os.path.join(sd, name), "rb") as f:
                data = f.read()
            write(d, s + "_" + name, b"\x00" + data)
    return d


copy_prefixed("npy", "lua_npy", ("npz",))
d = copy_prefixed("text", "lua_text")
write(d, "opts_delim", b"\x01\x01\x00" + b"1,2,3\n4,5,6\n")
write(d, "gz_simple", b"\x80" + b"1 2\n3 4\n")
copy_prefixed("idx", "lua_idx")

# ---- LAS: the fixtures cut to three points ----
FIX = os.path.join(os.path.dirname(ROOT), "..", "fixtures", "las")


def cut_las(b, k=3):
    b = bytearray(b)
    minor = b[25]
    hs, otp = struct.unpack_from("<HI", b, 94)
    rl = struct.unpack_from("<H", b, 105)[0]
    legacy = struct.unpack_from("<I", b, 107)[0]
    n = struct.unpack_from("<Q", b, 247)[0] if minor >= 4 else legacy
    k = min(k, n)
    evlr = b""
    if minor >= 4:
        start, nev = struct.unpack_from("<QI", b, 235)
        if nev:
            evlr = bytes(b[start:])
    out = bytearray(b[:otp + k * rl])
    struct.pack_into("<I", out, 107, k if legacy else 0)
    struct.pack_into("<5I", out, 111, k if legacy else 0, 0, 0, 0, 0)
    if minor >= 4:
        struct.pack_into("<Q", out, 247, k)
        struct.pack_into("<15Q", out, 255, k, *([0] * 14))
        if evlr:
            struct.pack_into("<Q", out, 235, len(out))
            out += evlr
    return bytes(out)


d = reset("las")
dl = reset("lua_las")
for name in sorted(os.listdir(FIX)):
    if not name.endswith(".las"):
        continue
    with open(os.path.join(FIX, name), "rb") as f:
        data = cut_las(f.read())
    if len(data) > 20000:   # the one with large WKT/GeoTIFF VLRs
        continue
    write(d, name[:-4], data)
    write(dl, name[:-4], b"\x00" + data)

# ---- PNG: every colour type and bit depth, interlaced, palette with tRNS ----
def png_bytes(img, **kw):
    f = io.BytesIO()
    img.save(f, "PNG", **kw)
    return f.getvalue()


def chunk(t, data):
    return struct.pack(">I", len(data)) + t + data + struct.pack(">I", zlib.crc32(t + data))


def raw_png(w, h, ct, depth, rows, extra=b""):
    ihdr = struct.pack(">IIBBBBB", w, h, depth, ct, 0, 0, 0)
    raw = b"".join(b"\x00" + r for r in rows)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


d = reset("png")
grad = Image.linear_gradient("L").resize((5, 4))
write(d, "grey8", png_bytes(grad))
write(d, "grey1", png_bytes(grad.convert("1")))
write(d, "rgb8", png_bytes(Image.merge("RGB", (grad, grad.rotate(90), grad))))
write(d, "rgba8", png_bytes(Image.merge("RGBA", (grad, grad, grad, grad))))
write(d, "palette", png_bytes(grad.convert("P")))
pal = grad.convert("P")
pal.info["transparency"] = 0
write(d, "palette_trns", png_bytes(pal, transparency=0))
write(d, "grey16", raw_png(3, 2, 0, 16, [b"\x00\x01\xff\xff\x80\x00", b"\x12\x34\x56\x78\x9a\xbc"]))
write(d, "grey_alpha8", raw_png(2, 2, 4, 8, [b"\x10\xff\x20\x80", b"\x30\x00\x40\x7f"]))
write(d, "rgb16", raw_png(1, 2, 2, 16, [b"\x00\x01\x00\x02\x00\x03", b"\xff\xff\x00\x00\x80\x80"]))
write(d, "rgba16", raw_png(1, 1, 6, 16, [b"\x00\x01\x00\x02\x00\x03\xff\xff"]))
write(d, "grey2", raw_png(4, 1, 0, 2, [b"\x1b"]))
write(d, "grey4", raw_png(2, 1, 0, 4, [b"\x3c"]))
write(d, "one_pixel", raw_png(1, 1, 2, 8, [b"\x01\x02\x03"]))
# Adam7 interlacing, written by hand: an 8x8 grey image, each pass's rows
passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
raw = b""
for x0, y0, dx, dy in passes:
    for y in range(y0, 8, dy):
        raw += b"\x00" + bytes((x * 32 + y) & 255 for x in range(x0, 8, dx))
write(d, "grey8_adam7", b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 1)) +
      chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
dl = reset("lua_png")
for name in sorted(os.listdir(d)):
    with open(os.path.join(d, name), "rb") as f:
        write(dl, name, b"\x00" + f.read())

# seis.read: small real miniSEED 2 and SAC files of tests/fixtures/seis
# (every encoding family, both byte orders, a text record, gaps, no
# Blockette 1000, several channels), whole, behind the option byte
SEIS = os.path.join(os.path.dirname(ROOT), "..", "fixtures", "seis")
d = reset("lua_mseed")
for name in ["int32_Steim1_bigEndian.mseed", "int32_Steim2_littleEndian.mseed", "int16_INT16_bigEndian.mseed",
             "float32_Float32_littleEndian.mseed", "float64_Float64_bigEndian.mseed", "smallASCII_bigEndian.mseed",
             "CDSN_encoding.mseed", "GEOSCOPE16_4_encoding.mseed", "two_channels.mseed", "microsecond_wrap.mseed",
             "testdata-unapplied-timecorrection.mseed2", "BW.BGLD.__.EHE.D.2008.001.first_10_records"]:
    with open(os.path.join(SEIS, "mseed", name), "rb") as f:
        write(d, name, b"\x00" + f.read())
d = reset("lua_sac")
for name in ["test.sac", "test.sac.swap", "null_terminated.sac", "LMOW.BHE.SAC"]:
    with open(os.path.join(SEIS, "sac", name), "rb") as f:
        write(d, name, b"\x00" + f.read())

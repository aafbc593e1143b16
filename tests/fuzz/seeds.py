#!/usr/bin/env python3
# seeds.py - writes the hand-made seed inputs of the fuzz targets heads,
# genesis, field, widgets, push and netparse into tests/fuzz/corpus/NAME/
# (the op, bundle, body and amount seeds come from gen_corpus.c; push reuses
# the bundle seeds). Run from the repository root: python3 tests/fuzz/seeds.py
# Input layouts are described at the top of each tests/fuzz/fuzz_NAME.c.
import os

BASE = 'tests/fuzz/corpus'


def w(target, name, data):
    os.makedirs(f'{BASE}/{target}', exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(f'{BASE}/{target}/{name}', 'wb') as f:
        f.write(data)


def varint(v):
    out = bytearray()
    while True:
        b = v & 0x7f
        v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return bytes(out)


# heads: MVV1 vectors
w('heads', 'empty', b'MVV1\x00')
w('heads', 'one', b'MVV1\x01' + b'\xaa' * 32 + b'\x03')
w('heads', 'two', b'MVV1\x02' + b'\x01' * 32 + varint(300) + b'\xfe' * 32 + varint(2**63 - 1))
w('heads', 'bad_order', b'MVV1\x02' + b'\x02' * 32 + b'\x01' + b'\x01' * 32 + b'\x01')
# genesis: parameter files
w('genesis', 'default', open('assets/genesis.default').read())
w('genesis', 'council3', 'council = founder, alice,bob\ncouncil_threshold = 2\n'
  'x = 1.5 MVT\ny = 90m\nz=12s # c\n')
w('genesis', 'hexcouncil', 'council = ' + 'ab' * 32 + '\nfee = 10\n')
w('genesis', 'bad', 'council = founder\nname = x\n')
# field: two bytes pick the spec (0..13 synthetic, one per kind), then the value
syn = ['-3', '1.5', '2026-11-26T14:30:00Z', '90m', 'hello', 'maybe', 'yes', 'alice', '00' * 32,
       '0a0b', 'alice,bob,treasury', '1,2026-11-26,3', 'a,b,c', '00,ff']
for i, v in enumerate(syn):
    w('field', f's{i}', bytes([i, 0]) + v.encode())
for i in range(14, 200, 7):
    w('field', f'r{i}', bytes([i, 0]) + b'1')
for i in range(15, 200, 11):
    w('field', f'q{i}', bytes([i, 0]) + b'alice')
# widgets: even first byte = form (text limit, choices, width, keys), odd = text
w('widgets', 'form_amount', b'\x00\x20\x03\x10hello\t12,5\t2026-11-26 14:30\t\x20\tpw\r')
w('widgets', 'form_edit', b'\x00\x05\x02\x04abc\xf0\x00\xf0\x00\xf0\x05X\xff\x00\x65\xe5'
  b'\xf0\x04\xf1\x0e\t\t\tL\xf0\x01')
w('widgets', 'form_wide', b'\x00\x08\x04\x02\xff\x01\xf6\x00\xff\x00\x30\x01\xff\x00\x00\xe9'
  b'\x16\xf0\x05\xff\x01\xf6\x00')
w('widgets', 'text_cjk', b'\x01\x0a' + '日本語 text with emoji 😀 and e\u0301 wrap'.encode())
w('widgets', 'text_amount', b'\x01\x051.5')
w('widgets', 'text_time', b'\x01\x032026-11-26 14:30')
w('widgets', 'text_bad', b'\x01\x01\xff\xfe\xe6\x97 \x1b[31m')
# push: the bundle seeds, and one with a blob section
for n in os.listdir(f'{BASE}/bundle'):
    w('push', n, open(f'{BASE}/bundle/{n}', 'rb').read())
three = open(f'{BASE}/bundle/three', 'rb').read()
w('push', 'three_blobs', three + b'MVBL\x01' + varint(40) + bytes(range(40)))
# netparse: first byte 0 address, 1 host:port, 2 limits, 3 blob hash
pin = 'sha256//ckIR8D6QmBo2AkGK29I5fYmT55jgviSTVhJbe4yProI='
w('netparse', 'addr', '\x00https://127.0.0.1:7420#' + pin)
w('netparse', 'addr6', '\x00https://[::1]:443#' + pin)
w('netparse', 'addrname', '\x00https://node.example:1#sha256//' + 'A' * 43 + '=')
w('netparse', 'hostport', '\x01127.0.0.1:7420')
w('netparse', 'hostport6', '\x01[::1]:0')
w('netparse', 'limits', '\x02body=1024,conn=4,per_ip=2,rate=5,burst=10,idle=3,request=9,threads=1')
w('netparse', 'blob', '\x030e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8')

#!/usr/bin/env python3
"""Prints data/cjk_compat.txt: each CJK compatibility ideograph with its NFKC unified form."""
import unicodedata

print('# CJK compatibility ideographs and their NFKC (unified) forms, from Unicode %s.' % unicodedata.unidata_version)
print('# Regenerate: python3 scripts/gen_cjk_compat.py > data/cjk_compat.txt')
for cp in list(range(0xF900, 0xFB00)) + list(range(0x2F800, 0x2FA20)):
    c = chr(cp)
    n = unicodedata.normalize('NFKC', c)
    if len(n) == 1 and ord(n) != cp and unicodedata.name(c, ''):
        print('%04X %04X' % (cp, ord(n)))

#!/bin/sh
# make.sh: regenerates the encoding fixtures in this directory (run from anywhere; needs iconv).
# The texts are written for these tests (not taken from any corpus). Outputs are committed.
#   zh-hans.txt          UTF-8 source, simplified Chinese (contains 四个意识 and 两个维护)
#   zh-hant.txt          UTF-8 source, traditional Chinese
#   gb18030.txt          zh-hans.txt in GB18030
#   big5.txt             zh-hant.txt in BIG5
#   utf8-bom.txt         EF BB BF + zh-hans.txt
#   utf16le-bom.txt      FF FE + zh-hans.txt in UTF-16LE
#   utf16be-bom.txt      FE FF + zh-hans.txt in UTF-16BE
#   utf32le-bom.txt      FF FE 00 00 + zh-hans.txt in UTF-32LE
#   utf8-corrupt.txt     zh-hans.txt three times with one stray byte inserted after each of the
#                        first three copies: FF, 80, C3 (each is one invalid sequence)
#   utf8-corrupt.expected  the same with U+FFFD in place of each stray byte
set -eu
cd "$(dirname "$0")"

cat > zh-hans.txt <<'TXT'
全面从严治党，增强四个意识，坚定四个自信，做到两个维护。
各级党组织要坚持以人民为中心的发展思想，推动经济高质量发展，不断满足人民日益增长的美好生活需要。
我们要坚持和发展中国特色社会主义，统筹推进五位一体总体布局，协调推进四个全面战略布局。
必须坚持党对一切工作的领导，坚持全面深化改革，坚持新发展理念，坚持在发展中保障和改善民生。
广大党员干部要牢记初心使命，发扬斗争精神，增强斗争本领，为实现中华民族伟大复兴的中国梦而不懈奋斗。
要把党的政治建设摆在首位，持续加强作风建设，坚决反对形式主义、官僚主义，营造风清气正的政治生态。
TXT

cat > zh-hant.txt <<'TXT'
中華人民共和國全國人民代表大會是最高國家權力機關。
各級人民代表大會和地方各級人民政府都要堅持為人民服務，接受人民監督。
我們要繼續深化經濟體制改革，實現國家長治久安，促進社會公平正義。
政府工作報告指出，發展是解決一切問題的基礎和關鍵。
全國各族人民團結起來，為建設現代化國家而共同奮鬥。
TXT

iconv -f UTF-8 -t GB18030 zh-hans.txt > gb18030.txt
iconv -f UTF-8 -t BIG5 zh-hant.txt > big5.txt
{ printf '\357\273\277'; cat zh-hans.txt; } > utf8-bom.txt
{ printf '\377\376'; iconv -f UTF-8 -t UTF-16LE zh-hans.txt; } > utf16le-bom.txt
{ printf '\376\377'; iconv -f UTF-8 -t UTF-16BE zh-hans.txt; } > utf16be-bom.txt
{ printf '\377\376\000\000'; iconv -f UTF-8 -t UTF-32LE zh-hans.txt; } > utf32le-bom.txt
{ cat zh-hans.txt; printf '\377'; cat zh-hans.txt; printf '\200'; cat zh-hans.txt; printf '\303';
  cat zh-hans.txt; } > utf8-corrupt.txt
{ for i in 1 2 3; do cat zh-hans.txt; printf '\357\277\275'; done; cat zh-hans.txt; } \
    > utf8-corrupt.expected

# Write OUT, a C file holding every stopwords/<code>.txt as a NUL-terminated
# byte array, so the programs need no data directory at run time.
# Invoked with -DSRC=<stopwords dir> -DOUT=<file> -DLANGS=<a;b;c>.
set(body "/* Generated from stopwords/ by cmake/embed_stopwords.cmake. Do not edit. */\n")
string(APPEND body "#include <stddef.h>\n#include \"civ_stopwords_data.h\"\n\n")
set(table "const civ_stopword_file civ_stopword_files[] = {\n")
foreach(code IN LISTS LANGS)
  file(READ "${SRC}/${code}.txt" hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(APPEND body "static const char sw_${code}[] = {${bytes}0x00};\n")
  string(APPEND table "    {\"${code}\", sw_${code}, sizeof sw_${code} - 1},\n")
endforeach()
string(APPEND table "};\nconst size_t civ_stopword_files_count = sizeof civ_stopword_files / sizeof civ_stopword_files[0];\n")
file(WRITE "${OUT}.tmp" "${body}\n${table}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")

# wat_header.cmake -- cmake -DIN=x.wasm -DOUT=x.wat.h -DNAME=x -P wat_header.cmake
# writes the bytes of a module as `static const unsigned char NAME_wasm[]`,
# so that a unit test can include a module written in the text format.
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n  "
       bytes "${bytes}")
file(WRITE ${OUT} "/* Generated from ${NAME}.wat by wat2wasm; do not edit. */\n"
     "static const unsigned char ${NAME}_wasm[] = {\n  ${bytes}\n};\n")

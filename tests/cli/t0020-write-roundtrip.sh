#!/usr/bin/env bash
# Round trip of a tricky corpus: tsd-write then tsd-query --dump gives back
# the same points (series, types, values bit-for-bit, times); the dump
# itself reads back into the same dump; last write wins on duplicates.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/lib-data.sh"

cat > "$TMP/tricky.lp" <<'LP'
# escapes in every position
cpu\,x\ y,host=a\ b,re\=gion=e\,u v=1 1000
cpu\,x\ y,host=a\ b,re\=gion=e\,u w\ x=2,y\,z=3,q\=r=4 2000
"quoted"meas,t="v" f="a \"quoted\" \\ string",g="with, comma and = sign" 3000
back\\slash,t=x\\y f="\\" 4000
emptystr s="" 5000
aztalk,chnl_name=아이유\ 생중계\ 채널 connection_cnt=213444i,heart_cnt=123i 6000
ünïcödé,ключ=значение 字段=1.25 7000
# every type and spelling
types f=1.5,i=-9223372036854775808i,I=9223372036854775807i,u=18446744073709551615u,u0=0u,b=t,B=FALSE,s="str" 8000
types f=-0.0,i=0i,I=-1i,u=1u,u0=2u,b=True,B=f,s="" 9000
# floats that need every bit
floats a=0.1,b=1e-300,c=5e-324,d=1.7976931348623157e308,e=-2.2250738585072014e-308 10000
floats a=123456789012345680000,b=3.141592653589793,c=1e3,d=1E3,e=-.5 11000
floats a=67.6576008530548,b=26.628728669258173,c=0.30000000000000004,d=9007199254740993,e=1 12000
# times at the edges and out of order
edge v=1i -9223372036854775806
edge v=2i 9223372036854775806
edge v=3i 0
edge v=4i -1
late v=5i 100000000000000
late v=4i 50000000000000
late v=3i 70000000000000
# tags in any order make one series
order,b=2,a=1 v=1i 1
order,a=1,b=2 v=2i 2
LP

test_expect_success 'the tricky corpus comes back the same' '
  tsd-write --data d --db tricky tricky.lp &&
  values tricky.lp > want &&
  dump_values d tricky > got &&
  test_cmp want got
'

test_expect_success 'the dump reads back into the same dump' '
  tsd-query --data d --db tricky --dump > dump1.lp &&
  tsd-write --data d2 --db tricky dump1.lp &&
  tsd-query --data d2 --db tricky --dump > dump2.lp &&
  test_cmp dump1.lp dump2.lp
'

test_expect_success 'fields of one series and time share a line, bits kept' '
  grep -qx "types B=false,I=9223372036854775807i,b=true,f=1.5,i=-9223372036854775808i,s=\"str\",u=18446744073709551615u,u0=0u 8000" dump1.lp &&
  grep -q "^floats a=[0-9]*,b=3.141592653589793,c=1000,d=1000,e=-0.5 11000$" dump1.lp &&
  grep -q "^floats .*c=5e-324" dump1.lp &&
  grep -q "^types .*f=-0[, ]" dump1.lp &&
  grep -q "^aztalk,chnl_name=아이유\\\\ 생중계\\\\ 채널 " dump1.lp
'

test_expect_success 'same series, field and time: the last write wins' '
  printf "dup v=1,w=1 10\ndup v=2 10\n" > a.lp &&
  printf "dup v=3 20\n" > b.lp &&
  printf "dup v=4 20\ndup w=5 10\n" > c.lp &&
  tsd-write --data e --db dup a.lp &&
  tsd-write --data e --db dup b.lp &&
  tsd-write --data e --db dup --batch-size 1 c.lp &&
  tsd-query --data e --db dup --dump | grep -v "^#\|^CREATE " > got &&
  printf "dup v=2,w=5 10\ndup v=4 20\n" > want &&
  test_cmp want got
'

test_expect_success 'many small batches compact into one block per column' '
  tsd-gen --hosts 2 --hours 1 --variant int > g.lp &&
  tsd-write --data f --db small --batch-size 50 g.lp &&
  values g.lp > want &&
  dump_values f small > got &&
  test_cmp want got &&
  test $(sqlite3 f/small/autogen/*.db "SELECT count(*) FROM blocks") -eq 20 &&
  test "$(sqlite3 f/small/autogen/*.db "PRAGMA freelist_count")" -eq 0 &&
  ! test -s f/small/autogen/*.db-wal
'

test_done

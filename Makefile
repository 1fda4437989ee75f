# tsd — build, test, bench, demo.
#
#   make            build libtsd.a and every bin/tsd-*
#   make test       set-up, build, unit tests (GoogleTest) and CLI tests
#   make check      the same tests under ASan+UBSan (build in build-san/)
#   make bench      ingest/size figures beside a real InfluxDB 1.x (bulk, and a live 1 s fleet
#                   feed), collector cost beside collectd
#   make demo       set-up, build and the main job on an embedded default
#   make install    into $(PREFIX) (default /usr/local)
#   V=1             show full commands
# Local overrides go in config.mak.

-include config.mak

PREFIX   ?= /usr/local
BUILD    ?= build
BIN      ?= bin
CXX      ?= g++
OPT      ?= -O2 -g
SAN      ?=
CXXFLAGS ?=
# fmt as headers only: no shared C++ library to load at each program's start.
CPPFLAGS += -Ilib -DFMT_HEADER_ONLY
override CXXFLAGS += -std=c++20 $(OPT) $(SAN) -Wall -Wextra -Werror -MMD -MP -pthread
LDFLAGS  += $(SAN) -pthread -Wl,--as-needed
LDLIBS   += -lsqlite3 -llz4 -ltomlplusplus -lcurl -lz -lre2 -ledit -lcpp-httplib -lsodium -ldl

ifneq ($(V),1)
Q = @
msg = @printf '  %-6s %s\n' $(1) $(2);
else
Q =
msg =
endif

LIB_SRC   := $(sort $(wildcard lib/*/*.cc))
LIB_OBJ   := $(LIB_SRC:%.cc=$(BUILD)/%.o)
LIB       := $(BUILD)/libtsd.a
PROGRAMS  := $(patsubst cmd/%/main.cc,$(BIN)/%,$(sort $(wildcard cmd/*/main.cc)))
# tsd-query's twin (see its link below); none under the sanitizers.
TWINS     := $(if $(SAN),,$(BIN)/tsd-query-shared)
TEST_SRC  := $(sort $(wildcard tests/unit/*_test.cc))
TEST_OBJ  := $(TEST_SRC:%.cc=$(BUILD)/%.o)
UNIT      := $(BUILD)/unit_tests
TOOL_SRC  := $(sort $(wildcard tests/tools/*.cc))
TOOLS     := $(patsubst tests/tools/%.cc,$(BUILD)/tools/%,$(TOOL_SRC))
MICRO_SRC := $(sort $(wildcard tests/bench/*_bench.cc))
MICRO_OBJ := $(MICRO_SRC:%.cc=$(BUILD)/%.o)
MICRO     := $(BUILD)/micro_bench

.PHONY: all test check bench demo install clean setup unit cli fuzz micro
.DEFAULT_GOAL := all
# Keep object files of programs and tools (they are intermediate to the
# pattern rules). Only those: a bare .SECONDARY: would make every object
# intermediate, and a new library source older than libtsd.a never built.
.SECONDARY: $(patsubst cmd/%/main.cc,$(BUILD)/cmd/%/main.o,$(wildcard cmd/*/main.cc)) \
            $(TOOL_SRC:%.cc=$(BUILD)/%.o)

all: $(PROGRAMS) $(TWINS) $(TOOLS)

$(BUILD)/%.o: %.cc
	@mkdir -p $(@D)
	$(call msg,CXX,$<)$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	$(call msg,AR,$@)rm -f $@ && ar rcs $@ $^

# One rule links every program: its main.o and the library.
$(BIN)/%: $(BUILD)/cmd/%/main.o $(LIB)
	@mkdir -p $(@D)
	$(call msg,LINK,$@)$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# tsd-query runs as a process per question: it is linked statically
# (fmt is used as headers, time zones are read by lib/query/zone.cc), so
# that no dynamic loader runs at start: 1.2-2.3 ms of an 8-13 ms light
# question less than with the shared C library, 2.0 ms of CPU less than
# with the shared C++ runtime (the loader, its relocations, the libraries'
# page faults: a fault costs 10-30 us in a VM with shadow page tables).
# Not position-independent: nothing to relocate (--eh-frame-hdr: perf and
# gdb unwind it). A static program cannot load libcurl (a second C
# library, whose threads cannot start), so --url and the shell run in
# tsd-query-shared, the same program with the C library shared, which
# tsd-query executes for them (core/program.h). load_curl refuses in a
# static program; glibc's warning for its dlopen is left out of the
# link's output. The shell's libedit comes with what it pulls (tinfo, bsd,
# md). Not under the sanitizers: there tsd-query is linked as every
# program and needs no twin.
QUERY_LIBS := -lsqlite3 -llz4 -lre2 -lsodium -ledit -ltinfo -lbsd -lmd -lz
ifeq ($(SAN),)
$(BIN)/tsd-query: LDFLAGS += -static -no-pie -Wl,--eh-frame-hdr
$(BIN)/tsd-query: LDLIBS := $(QUERY_LIBS) -lm
$(BIN)/tsd-query: $(BUILD)/cmd/tsd-query/main.o $(LIB)
	@mkdir -p $(@D)
	$(call msg,LINK,$@)$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS) 2> $@.err; s=$$?; \
	  grep -v -e "in statically linked applications requires" -e "in function .*load_curl" $@.err >&2; \
	  rm -f $@.err; exit $$s
$(BIN)/tsd-query-shared: $(BUILD)/cmd/tsd-query/main.o $(LIB)
	@mkdir -p $(@D)
	$(call msg,LINK,$@)$(CXX) $(LDFLAGS) -static-libstdc++ -static-libgcc -no-pie -o $@ $^ \
	  -Wl,-Bstatic $(QUERY_LIBS) -Wl,-Bdynamic -lm -ldl
endif

# Go's math functions are matched to the bit: no multiply-add may be fused
# where Go's code has none (a -march with FMA would otherwise fuse them).
$(BUILD)/lib/query/math_go.o: override CXXFLAGS += -ffp-contract=off

# Helper programs the tests and bench use (data generators, fakes).
$(BUILD)/tools/%: $(BUILD)/tests/tools/%.o $(LIB)
	@mkdir -p $(@D)
	$(call msg,LINK,$@)$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(UNIT): $(TEST_OBJ) $(LIB)
	$(call msg,LINK,$@)$(CXX) $(LDFLAGS) -o $@ $^ -lgtest_main -lgtest -lgmock $(LDLIBS)

# Micro-benchmarks (Google Benchmark), one file per layer: tests/bench/<layer>_bench.cc.
$(MICRO): $(MICRO_OBJ) $(LIB)
	$(call msg,LINK,$@)$(CXX) $(LDFLAGS) -o $@ $^ -lbenchmark_main -lbenchmark $(LDLIBS)

micro: $(MICRO)
	$(Q)$(MICRO)

setup:
	@bash scripts/setup

unit: $(UNIT)
	$(Q)$(UNIT) --gtest_brief=1

cli: all
	$(Q)TSD_BIN=$(abspath $(BIN)) TSD_TOOLS=$(abspath $(BUILD)/tools) bash tests/cli/run

# Builds with the -j given, then runs the tests one after the other (-j1).
test: setup
	$(Q)$(MAKE) --no-print-directory all $(UNIT)
	$(Q)$(MAKE) --no-print-directory -j1 unit cli

SAN_VARS = BUILD=build-san BIN=build-san/bin OPT="-O1 -g" \
  SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
check: setup
	$(Q)$(MAKE) --no-print-directory $(SAN_VARS) all build-san/unit_tests
	$(Q)$(MAKE) --no-print-directory -j1 $(SAN_VARS) unit cli

bench: setup
	$(Q)$(MAKE) --no-print-directory all $(if $(MICRO_SRC),$(MICRO))
	$(Q)TSD_BIN=$(abspath $(BIN)) TSD_TOOLS=$(abspath $(BUILD)/tools) MICRO=$(abspath $(MICRO)) bash scripts/bench
	$(Q)TSD_BIN=$(abspath $(BIN)) TSD_TOOLS=$(abspath $(BUILD)/tools) bash scripts/bench-collect
	$(Q)TSD_BIN=$(abspath $(BIN)) TSD_TOOLS=$(abspath $(BUILD)/tools) bash scripts/bench-fleet

demo: setup
	$(Q)$(MAKE) --no-print-directory all
	$(Q)TSD_BIN=$(abspath $(BIN)) TSD_TOOLS=$(abspath $(BUILD)/tools) bash scripts/demo

# libFuzzer targets, one per codec (needs clang).
fuzz:
	$(Q)bash scripts/fuzz

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5
	install -m 755 $(PROGRAMS) $(TWINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(wildcard man/*.1) $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 $(wildcard man/*.5) $(DESTDIR)$(PREFIX)/share/man/man5/

clean:
	rm -rf build build-san bin

-include $(LIB_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(PROGRAMS:$(BIN)/%=$(BUILD)/cmd/%/main.d) $(TOOL_SRC:%.cc=$(BUILD)/%.d) $(MICRO_OBJ:.o=.d)

# vic: PGXS build.  The version lives only in vic.control.
EXTENSION  = vic
EXTVERSION = $(shell sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" vic.control)
MODULE_big = vic
OBJS       = $(patsubst %.c,%.o,$(sort $(wildcard src/*/*.c)))

DATA       = $(wildcard vic--*.sql)

# pg_regress suite, in dependency order (sql/NAME.sql -> expected/NAME.out).
REGRESS    = setup industry profile graph communities
REGRESS_OPTS = --load-extension=postgis

PG_CPPFLAGS = -DVIC_VERSION='"$(EXTVERSION)"' -Isrc -ffp-contract=off
SHLIB_LINK  = -lm -lproj
EXTRA_CLEAN = results regression.diffs regression.out

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
# A fresh machine has no PGXS yet: make test / demo / bench install postgresql-server-dev-15 first.
all install installcheck:
	@echo "PGXS not found: install postgresql-server-dev-15 (make test, demo and bench do it for you)" >&2
	@exit 1
endif

.PHONY: test demo bench
# Installs what is missing, builds with assertions and -Werror, runs pg_regress + pgTAP in a throwaway cluster.
test:
	bash test/run.sh
# Builds, installs, loads the sample data into a throwaway cluster and prints the analysis report.
demo:
	bash test/demo.sh
# Benchmarks against baselines measured in the same run.
bench:
	bash test/bench/run.sh

// SHOW, CREATE, DROP, ALTER, DELETE and EXPLAIN statements (engine.h).
#include "query/engine.h"

namespace tsd::query {

StatementResult execute_meta(const Statement&, const ExecContext&) {
  StatementResult r;
  r.error = "this statement is not built yet";
  return r;
}

}  // namespace tsd::query

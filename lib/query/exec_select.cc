// SELECT statements (engine.h).
#include "query/engine.h"

namespace tsd::query {

StatementResult execute_select(const SelectStatement&, const ExecContext&) {
  StatementResult r;
  r.error = "SELECT is not built yet";
  return r;
}

}  // namespace tsd::query

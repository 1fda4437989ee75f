#include <gtest/gtest.h>

#include <string>

#include "query/parser.h"
#include "query/select_check.h"

namespace tsd::query {
namespace {

struct Case {
  const char* query;
  const char* error;  // influxd 1.6.7's "error" for the statement; "" when it ran
};

// Every row is a statement sent to a real influxd 1.6.7 (database x, with
// cpu,host=a v=1,w=2i,s="x" and a second point) and the error it answered,
// word for word; "" where it answered rows. GROUP BY time() queries carry
// a time range so that the valid ones stay small.
const Case kCases[] = {
    {"SELECT mean(v), v FROM cpu", "mixing aggregate and non-aggregate queries is not supported"},
    {"SELECT foo(v) FROM cpu", "undefined function foo()"},
    {"SELECT mean(v, w) FROM cpu", "invalid number of arguments for mean, expected 1, got 2"},
    {"SELECT mean() FROM cpu", "invalid number of arguments for mean, expected 1, got 0"},
    {"SELECT mean('a') FROM cpu", "expected field argument in mean()"},
    {"SELECT mean(1) FROM cpu", "expected field argument in mean()"},
    {"SELECT mean(*) + 1 FROM cpu", "unsupported expression with wildcard: mean()"},
    {"SELECT mean(/v/) + 1 FROM cpu", "unsupported expression with regex field: mean()"},
    {"SELECT derivative(v) FROM cpu WHERE time > 0 AND time < 10m GROUP BY "
     "time(1m)",
     "aggregate function required inside the call to derivative"},
    {"SELECT derivative(mean(v)) FROM cpu", "derivative aggregate requires a GROUP BY interval"},
    {"SELECT derivative(v, 0s) FROM cpu", "duration argument must be positive, got 0s"},
    {"SELECT derivative(v, -1s) FROM cpu", "duration argument must be positive, got -1s"},
    {"SELECT derivative(v, 1) FROM cpu",
     "second argument to derivative must be a duration, got "
     "*influxql.IntegerLiteral"},
    {"SELECT derivative(v, 'a') FROM cpu",
     "second argument to derivative must be a duration, got "
     "*influxql.StringLiteral"},
    {"SELECT derivative(v, 1s, 2) FROM cpu",
     "invalid number of arguments for derivative, expected at least 1 but no "
     "more than 2, got 3"},
    {"SELECT derivative() FROM cpu",
     "invalid number of arguments for derivative, expected at least 1 but no "
     "more than 2, got 0"},
    {"SELECT derivative(1) FROM cpu", "expected field argument in derivative()"},
    {"SELECT non_negative_derivative(v, 'x') FROM cpu",
     "second argument to non_negative_derivative must be a duration, got "
     "*influxql.StringLiteral"},
    {"SELECT derivative(v, 2s * 2) FROM cpu", ""},
    {"SELECT derivative(v, 90s) FROM cpu", ""},
    {"SELECT derivative(v, 1s - 2s) FROM cpu", "duration argument must be positive, got -1s"},
    {"SELECT top(v, 1), max(v) FROM cpu",
     "selector function top() cannot be combined with other functions"},
    {"SELECT top(v, 1), bottom(v, 1) FROM cpu",
     "selector function top() cannot be combined with other functions"},
    {"SELECT max(v), top(v, 1) FROM cpu",
     "selector function top() cannot be combined with other functions"},
    {"SELECT time FROM cpu", "at least 1 non-time field must be queried"},
    {"SELECT time AS t FROM cpu", "at least 1 non-time field must be queried"},
    {"SELECT v FROM cpu WHERE time > 0 AND time < 10m GROUP BY time(1m)",
     "GROUP BY requires at least one aggregate function"},
    {"SELECT v FROM cpu fill(none)", "fill(none) must be used with a function"},
    {"SELECT v FROM cpu fill(linear)", "fill(linear) must be used with a function"},
    {"SELECT v FROM cpu GROUP BY time", "time() is a function and expects at least one argument"},
    {"SELECT mean(v) FROM cpu WHERE time > 0 AND time < 10m GROUP BY time(1m, "
     "0s), time(2m)",
     "multiple time dimensions not allowed"},
    {"SELECT mean(v) FROM cpu WHERE time > 0 AND time < 10m GROUP BY time()",
     "time dimension expected 1 or 2 arguments"},
    {"SELECT mean(v) FROM cpu WHERE time > 0 AND time < 10m GROUP BY time(1m, "
     "1s, 1s)",
     "time dimension expected 1 or 2 arguments"},
    {"SELECT mean(v) FROM cpu WHERE time > 0 AND time < 10m GROUP BY time(1)",
     "time dimension must have duration argument"},
    {"SELECT mean(v) FROM cpu WHERE time > 0 AND time < 10m GROUP BY time(1m, "
     "'a')",
     "time dimension offset must be duration or now()"},
    {"SELECT mean(v) FROM cpu WHERE time > 0 AND time < 10m GROUP BY time(1m, "
     "now(1))",
     "time dimension offset now() function requires no arguments"},
    {"SELECT mean(v) FROM cpu WHERE time > 0 AND time < 10m GROUP BY time(1m, "
     "foo())",
     "time dimension offset function must be now()"},
    {"SELECT mean(v) FROM cpu WHERE time > 0 AND time < 10m GROUP BY time(1m, "
     "1)",
     "time dimension offset must be duration or now()"},
    {"SELECT mean(v) FROM cpu WHERE time > 0 AND time < 10m GROUP BY time(1m, "
     "'2020-13-01T00:00:00Z')",
     "invalid timestamp string"},
    {"SELECT mean(v) FROM cpu WHERE time > 0 AND time < 10m GROUP BY time(1m, "
     "'2020-01-01T00:00:30Z')",
     "invalid time dimension offset: '2020-01-01T00:00:30Z'"},
    {"SELECT mean(v) FROM cpu WHERE time > 0 AND time < 10m GROUP BY time(1m, "
     "'a' + 'b')",
     "time dimension offset must be duration or now()"},
    {"SELECT mean(v) FROM cpu GROUP BY mean(v)", "only time() calls allowed in dimensions"},
    {"SELECT mean(v) FROM cpu GROUP BY 1", "only time and tag dimensions allowed"},
    {"SELECT mean(v) FROM cpu GROUP BY 'host'", "only time and tag dimensions allowed"},
    {"SELECT mean(v) FROM cpu GROUP BY host + 1", "only time and tag dimensions allowed"},
    {"SELECT mean(v) FROM cpu GROUP BY TIME",
     "time() is a function and expects at least one argument"},
    {"SELECT mean(v) FROM cpu GROUP BY (time)",
     "time() is a function and expects at least one argument"},
    {"SELECT percentile(v) FROM cpu",
     "invalid number of arguments for percentile, expected 2, got 1"},
    {"SELECT percentile(v, 'a') FROM cpu", "expected float argument in percentile()"},
    {"SELECT percentile(1, 50) FROM cpu", "expected field argument in percentile()"},
    {"SELECT sample(v, 0) FROM cpu", "sample window must be greater than 1, got 0"},
    {"SELECT sample(v, -3) FROM cpu", "sample window must be greater than 1, got -3"},
    {"SELECT sample(v, 1.5) FROM cpu", "expected integer argument in sample()"},
    {"SELECT sample(v) FROM cpu", "invalid number of arguments for sample, expected 2, got 1"},
    {"SELECT moving_average(v, 1) FROM cpu", "moving_average window must be greater than 1, got 1"},
    {"SELECT moving_average(v, 1.5) FROM cpu",
     "second argument for moving_average must be an integer, got "
     "*influxql.NumberLiteral"},
    {"SELECT moving_average(v) FROM cpu",
     "invalid number of arguments for moving_average, expected 2, got 1"},
    {"SELECT moving_average(mean(v), 2) FROM cpu",
     "moving_average aggregate requires a GROUP BY interval"},
    {"SELECT moving_average(v, 2) FROM cpu WHERE time > 0 AND time < 10m GROUP "
     "BY time(1m)",
     "aggregate function required inside the call to moving_average"},
    {"SELECT holt_winters(v, 1, 1) FROM cpu", "must use aggregate function with holt_winters"},
    {"SELECT holt_winters(mean(v), 1, 1) FROM cpu",
     "holt_winters aggregate requires a GROUP BY interval"},
    {"SELECT holt_winters(mean(v), 0, 1) FROM cpu",
     "second arg to holt_winters must be greater than 0, got 0"},
    {"SELECT holt_winters(mean(v), 1, -1) FROM cpu",
     "third arg to holt_winters cannot be negative, got -1"},
    {"SELECT holt_winters(mean(v), 'a', 1) FROM cpu",
     "expected integer argument as second arg in holt_winters"},
    {"SELECT holt_winters(mean(v), 1, 'a') FROM cpu",
     "expected integer argument as third arg in holt_winters"},
    {"SELECT holt_winters_with_fit(mean(v), 1) FROM cpu",
     "invalid number of arguments for holt_winters_with_fit, expected 3, got "
     "2"},
    {"SELECT top(v) FROM cpu", "invalid number of arguments for top, expected at least 2, got 1"},
    {"SELECT top(v, 'a') FROM cpu", "expected integer as last argument in top(), found 'a'"},
    {"SELECT top(v, 2.5) FROM cpu", "expected integer as last argument in top(), found 2.500"},
    {"SELECT top(v, 0) FROM cpu", "limit (0) in top function must be at least 1"},
    {"SELECT top(v, 5) FROM cpu LIMIT 2",
     "limit (5) in top function can not be larger than the LIMIT (2) in the "
     "select statement"},
    {"SELECT top(1, 2) FROM cpu", "expected first argument to be a field in top(), found 1"},
    {"SELECT top(v, 1 + 1, 2) FROM cpu", "only fields or tags are allowed in top(), found 2"},
    {"SELECT bottom(mean(v), 2) FROM cpu",
     "expected first argument to be a field in bottom(), found mean(v)"},
    {"SELECT top(v, \"select\", 'a\\'b') FROM cpu",
     "expected integer as last argument in top(), found 'a\\'b'"},
    {"SELECT top(v, w, true) FROM cpu", "expected integer as last argument in top(), found true"},
    {"SELECT top(v, w, 1s) FROM cpu", "expected integer as last argument in top(), found 1s"},
    {"SELECT top(v, w, 1500ms) FROM cpu",
     "expected integer as last argument in top(), found 1500ms"},
    {"SELECT top(v, w, 9223372036854775808) FROM cpu",
     "expected integer as last argument in top(), found 9223372036854775808"},
    {"SELECT top(v, w, *) FROM cpu", "expected integer as last argument in top(), found *"},
    {"SELECT top(v, w, /a\\/b/) FROM cpu",
     "expected integer as last argument in top(), found /a\\/b/"},
    {"SELECT top(v, w, (v + 1) * 2) FROM cpu",
     "expected integer as last argument in top(), found (v + 1) * 2"},
    {"SELECT top(v, w, sqrt(v)) FROM cpu",
     "expected integer as last argument in top(), found sqrt(v)"},
    {"SELECT top(v, w, DISTINCT v) FROM cpu",
     "expected integer as last argument in top(), found DISTINCT v"},
    {"SELECT top(v, w, -2) FROM cpu", "limit (-2) in top function must be at least 1"},
    {"SELECT top(v, w, v::float) FROM cpu",
     "expected integer as last argument in top(), found v::float"},
    {"SELECT top(v, w, *::field) FROM cpu",
     "expected integer as last argument in top(), found *::field"},
    {"SELECT top(v, w, 1 / 3) FROM cpu", "expected integer as last argument in top(), found 0.333"},
    {"SELECT distinct() FROM cpu", "distinct function requires at least one argument"},
    {"SELECT distinct(v, w) FROM cpu", "distinct function can only have one argument"},
    {"SELECT distinct(1) FROM cpu", "expected field argument in distinct()"},
    {"SELECT distinct(v), v FROM cpu",
     "aggregate function distinct() cannot be combined with other functions or "
     "fields"},
    {"SELECT distinct(v), mean(v) FROM cpu",
     "aggregate function distinct() cannot be combined with other functions or "
     "fields"},
    {"SELECT DISTINCT v, w FROM cpu",
     "aggregate function distinct() cannot be combined with other functions or "
     "fields"},
    {"SELECT count(distinct(v)), v FROM cpu",
     "mixing aggregate and non-aggregate queries is not supported"},
    {"SELECT count(distinct(1)) FROM cpu", "expected field argument in distinct()"},
    {"SELECT integral(v, 0s) FROM cpu", "duration argument must be positive, got 0s"},
    {"SELECT integral(v, 1) FROM cpu", "second argument must be a duration"},
    {"SELECT integral(v, 1s, 2) FROM cpu",
     "invalid number of arguments for integral, expected at least 1 but no "
     "more than 2, got 3"},
    {"SELECT integral(mean(v)) FROM cpu", "expected field argument in integral()"},
    {"SELECT elapsed(v, 1) FROM cpu",
     "second argument to elapsed must be a "
     "duration, got *influxql.IntegerLiteral"},
    {"SELECT elapsed(v, 0s) FROM cpu", "duration argument must be positive, got 0s"},
    {"SELECT elapsed(mean(v)) FROM cpu", "elapsed aggregate requires a GROUP BY interval"},
    {"SELECT elapsed(v) FROM cpu WHERE time > 0 AND time < 10m GROUP BY "
     "time(1m)",
     "aggregate function required inside the call to elapsed"},
    {"SELECT elapsed() FROM cpu",
     "invalid number of arguments for elapsed, expected at least 1 but no more "
     "than 2, got 0"},
    {"SELECT v + * FROM cpu", "unable to use wildcard in a binary expression"},
    {"SELECT 1 + 'a' FROM cpu", "cannot perform a binary expression on two literals"},
    {"SELECT 1 + 2 FROM cpu", "field must contain at least one variable"},
    {"SELECT 1 FROM cpu", "field must contain at least one variable"},
    {"SELECT 'a' FROM cpu", "field must contain at least one variable"},
    {"SELECT sqrt(4) FROM cpu", "field must contain at least one variable"},
    {"SELECT sqrt('a') FROM cpu", "field must contain at least one variable"},
    {"SELECT sqrt(v, 2) FROM cpu", "invalid number of arguments for sqrt, expected 1, got 2"},
    {"SELECT log(v) FROM cpu", "invalid number of arguments for log, expected 2, got 1"},
    {"SELECT pow(v) FROM cpu", "invalid number of arguments for pow, expected 2, got 1"},
    {"SELECT mean(v) FROM cpu WHERE mean(v) > 1", "invalid function call in condition: mean(v)"},
    {"SELECT mean(v) FROM cpu WHERE v", "invalid condition expression: v"},
    {"SELECT mean(v) FROM cpu WHERE 1", "invalid condition expression: 1"},
    {"SELECT mean(v) FROM cpu WHERE (mean(v) > 1)", "invalid function call in condition: mean(v)"},
    {"SELECT mean(v) FROM cpu WHERE sqrt(v, 1) > 1",
     "invalid number of arguments for sqrt, expected 1, got 2"},
    {"SELECT mean(v) FROM cpu WHERE log(v, 2) > 1",
     "invalid number of arguments for log, expected 1, got 2"},
    {"SELECT mean(v) FROM cpu WHERE pow(v) > 1",
     "invalid number of arguments for pow, expected 2, got 1"},
    {"SELECT mean(v) FROM cpu WHERE time != now()", "invalid time comparison operator: !="},
    {"SELECT mean(v) FROM cpu WHERE time > v",
     "invalid operation: time and *influxql.VarRef are not compatible"},
    {"SELECT mean(v) FROM cpu WHERE v > (mean(v))", "invalid function call in condition: mean(v)"},
    {"SELECT mean(v) FROM cpu WHERE v > sqrt(mean(v))",
     "invalid function call in condition: mean(v)"},
    {"SELECT mean(v) FROM cpu WHERE v AND w > 1", "invalid condition expression: v"},
    {"SELECT mean(v) FROM cpu WHERE 'a'", "invalid condition expression: 'a'"},
    {"SELECT mean(v) FROM cpu WHERE time > now() - 1h AND mean(v) > 1",
     "invalid function call in condition: mean(v)"},
    {"SELECT mean(v) FROM cpu WHERE w > 1 OR time > 'abc'",
     "invalid operation: time and *influxql.StringLiteral are not compatible"},
    {"SELECT mean(v) FROM cpu WHERE time > '2020-01-01T00:00:00Z' + v",
     "invalid operation: time and *influxql.BinaryExpr are not compatible"},
    {"SELECT mean(v) FROM cpu WHERE time =~ /x/",
     "invalid operation: time and *influxql.RegexLiteral are not compatible"},
    {"SELECT mean(v) FROM cpu WHERE time > '2020-02-30'", "invalid timestamp string"},
    {"SELECT mean(v) FROM cpu WHERE mean(v) > 1 AND time != now()",
     "invalid time comparison operator: !="},
    {"SELECT mean(v) FROM cpu WHERE 0 < time AND now() <> time",
     "invalid time comparison operator: !="},
    {"SELECT mean(v) FROM cpu WHERE host = 'a' AND count(v) > \"my "
     "value\"::integer",
     "invalid function call in condition: count(v)"},
    {"SELECT mean(v), max(v), v FROM cpu",
     "mixing aggregate and non-aggregate queries is not supported"},
    {"SELECT max(v), min(v), v FROM cpu",
     "mixing multiple selector functions with tags or fields is not supported"},
    {"SELECT max(*), host FROM cpu", "mixing aggregate and non-aggregate queries is not supported"},
    {"SELECT v FROM (SELECT v FROM cpu WHERE time > 0 AND time < 10m GROUP BY "
     "time(1m))",
     "fill(none) must be used with a function"},
    {"SELECT mean(v) FROM (SELECT v FROM cpu ORDER BY time DESC)",
     "subqueries must be ordered in the same direction as the query itself"},
    {"SELECT mean(v) FROM (SELECT v FROM cpu ORDER BY time ASC) ORDER BY time "
     "DESC",
     "subqueries must be ordered in the same direction as the query itself"},
    {"SELECT mean(v) FROM (SELECT foo(v) FROM cpu)", "undefined function foo()"},
    {"SELECT foo(v) FROM (SELECT bar(v) FROM cpu)", "undefined function foo()"},
    {"SELECT v FROM (SELECT v FROM cpu WHERE mean(v) > 1)",
     "invalid function call in condition: mean(v)"},
    {"SELECT v FROM (SELECT v FROM cpu GROUP BY time)",
     "time() is a function and expects at least one argument"},
    {"SELECT v FROM (SELECT v FROM cpu WHERE time > 0 AND time < 10m GROUP BY "
     "time(1m) fill(previous))",
     "GROUP BY requires at least one aggregate function"},
    {"SELECT v FROM (SELECT derivative(v) AS v FROM cpu WHERE time > 0 AND "
     "time < 10m GROUP BY time(1m))",
     "aggregate function required inside the call to derivative"},
    {"SELECT v FROM cpu, (SELECT mean(v) FROM cpu), (SELECT foo(v) FROM cpu)",
     "undefined function foo()"},
    {"SELECT mean(v) FROM (SELECT mean(v) AS v FROM cpu WHERE time > 0 AND "
     "time < 10m GROUP BY time(1m, '2020-01-01')) WHERE time > 0 AND time < "
     "10m",
     "invalid time dimension offset: '2020-01-01'"},
    {"SELECT exponential_moving_average(v) FROM cpu",
     "invalid number of arguments for exponential_moving_average, expected at "
     "least 2 but no more than 4, got 1"},
    {"SELECT exponential_moving_average(v, 'a') FROM cpu",
     "exponential_moving_average period must be an integer"},
    {"SELECT exponential_moving_average(v, 0) FROM cpu",
     "exponential_moving_average period must be greater than or equal to 1"},
    {"SELECT exponential_moving_average(v, 2, 'a') FROM cpu",
     "exponential_moving_average hold period must be an integer"},
    {"SELECT exponential_moving_average(v, 2, -2) FROM cpu",
     "exponential_moving_average hold period must be greater than or equal to "
     "0"},
    {"SELECT triple_exponential_derivative(v, 2, 0) FROM cpu",
     "triple_exponential_derivative hold period must be greater than or equal "
     "to 1"},
    {"SELECT exponential_moving_average(v, 2, 1, 'x') FROM cpu",
     "exponential_moving_average warmup type must be one of: 'exponential' "
     "'simple'"},
    {"SELECT exponential_moving_average(v, 2, 1, 1) FROM cpu",
     "exponential_moving_average warmup type must be a string"},
    {"SELECT exponential_moving_average(mean(v), 2) FROM cpu",
     "exponential_moving_average aggregate requires a GROUP BY interval"},
    {"SELECT relative_strength_index(v, 2) FROM cpu WHERE time > 0 AND time < "
     "10m GROUP BY time(1m)",
     "aggregate function required inside the call to relative_strength_index"},
    {"SELECT kaufmans_efficiency_ratio(v) FROM cpu",
     "invalid number of arguments for kaufmans_efficiency_ratio, expected at "
     "least 2 but no more than 3, got 1"},
    {"SELECT kaufmans_efficiency_ratio(v, 0) FROM cpu",
     "kaufmans_efficiency_ratio period must be greater than or equal to 1"},
    {"SELECT kaufmans_adaptive_moving_average(v, 2, 'a') FROM cpu",
     "kaufmans_adaptive_moving_average hold period must be an integer"},
    {"SELECT chande_momentum_oscillator(v) FROM cpu",
     "invalid number of arguments for chande_momentum_oscillator, expected at "
     "least 2 but no more than 4, got 1"},
    {"SELECT chande_momentum_oscillator(v, 2, -3) FROM cpu",
     "chande_momentum_oscillator hold period must be greater than or equal to "
     "0"},
    {"SELECT chande_momentum_oscillator(v, 2, 1, 'x') FROM cpu",
     "chande_momentum_oscillator warmup type must be one of: 'none' "
     "'exponential' 'simple'"},
    {"SELECT chande_momentum_oscillator(v, 2, 1, 3) FROM cpu",
     "chande_momentum_oscillator warmup type must be a string"},
    {"SELECT difference(v, 1) FROM cpu",
     "invalid number of arguments for difference, expected 1, got 2"},
    {"SELECT non_negative_difference(mean(v)) FROM cpu",
     "non_negative_difference aggregate requires a GROUP BY interval"},
    {"SELECT cumulative_sum(v, 1) FROM cpu",
     "invalid number of arguments for cumulative_sum, expected 1, got 2"},
    {"SELECT cumulative_sum(mean(v)) FROM cpu",
     "cumulative_sum aggregate requires a GROUP BY interval"},
    {"SELECT mean(v) * 2 + v FROM cpu",
     "mixing aggregate and non-aggregate queries is not supported"},
    {"SELECT max(v) + min(v), host FROM cpu",
     "mixing multiple selector functions with tags or fields is not supported"},
    {"SELECT v + 1, (w * 2) FROM cpu", ""},
    {"SELECT mean(v) FROM cpu WHERE time > 0 AND time < 10m GROUP BY time(1m), "
     "host fill(none)",
     ""},
    {"SELECT derivative(mean(v), 1s) FROM cpu WHERE time > 0 AND time < 10m "
     "GROUP BY time(1m)",
     ""},
    {"SELECT top(v, host, 2) FROM cpu", ""},
    {"SELECT max(v), host FROM cpu", ""},
    {"SELECT count(DISTINCT v) FROM cpu", ""},
    {"SELECT DISTINCT v FROM cpu", ""},
    {"SELECT percentile(v, 50) FROM cpu", ""},
    {"SELECT sqrt(*) FROM cpu", ""},
    {"SELECT v + (1 + 2) FROM cpu", ""},
    {"SELECT * FROM cpu WHERE v > 0 AND (mean(v) > 1)", ""},
    {"SELECT mean(v) FROM cpu WHERE v > (mean(v) + 1)", ""},
    {"SELECT mean(v) FROM (SELECT v FROM cpu) WHERE time > 0 AND time < 10m "
     "GROUP BY time(1m)",
     ""},
    {"SELECT mean(d) FROM (SELECT derivative(mean(v)) AS d FROM cpu) WHERE "
     "time > 0 AND time < 10m GROUP BY time(1m)",
     ""},
    {"SELECT mean(v) FROM cpu WHERE time > 0 AND time < 10m GROUP BY time(1m, "
     "-1m)",
     ""},
    {"SELECT mean(v) FROM cpu WHERE time > 0 AND time < 10m GROUP BY time(1m, "
     "now())",
     ""},
    {"SELECT mean(v) FROM cpu GROUP BY host::tag, *, /h/", ""},
    {"SELECT mean(v) FROM cpu GROUP BY (host)", ""},
    {"SELECT v FROM cpu WHERE true", ""},
    {"SELECT mean(v) FROM cpu WHERE time > 0 AND time < 10m GROUP BY time(0s), "
     "time(2m)",
     ""},
    {"SELECT v FROM cpu fill(previous)", ""},
    {"SELECT abs(-1) + v FROM cpu", ""},
    {"SELECT v::integer, \"time\" AS t FROM cpu", ""},
    // Folded arguments, printed literals, time comparisons, subqueries.
    {"SELECT sqrt(1s) FROM cpu",
     "field must contain at least one variable"},
    {"SELECT derivative(v, sqrt(4)) FROM cpu",
     "second argument to derivative must be a duration, got *influxql.NumberLiteral"},
    {"SELECT derivative(v, now()) FROM cpu",
     "second argument to derivative must be a duration, got *influxql.Call"},
    {"SELECT top(v, w, '2020-01-01T00:00:00Z' + 1h) FROM cpu",
     "expected integer as last argument in top(), found '2020-01-01T01:00:00Z'"},
    {"SELECT top(v, w, 1 + 1s) FROM cpu",
     "expected integer as last argument in top(), found '1970-01-01T00:00:01.000000001Z'"},
    {"SELECT top(v, w, sqrt('a')) FROM cpu",
     "expected integer as last argument in top(), found nil"},
    {"SELECT top(v, w, 10 / 4) FROM cpu",
     "expected integer as last argument in top(), found 2.500"},
    {"SELECT top(v, w, 7 % 0) FROM cpu",
     "limit (0) in top function must be at least 1"},
    {"SELECT top(v, w, 2 & 3) FROM cpu",
     ""},
    {"SELECT top(v, w, 'a' + 'b') FROM cpu",
     "expected integer as last argument in top(), found 'ab'"},
    {"SELECT top(v, w, 9223372036854775807 + 1) FROM cpu",
     "limit (-9223372036854775808) in top function must be at least 1"},
    {"SELECT top(v, w, 18446744073709551615 - 1) FROM cpu",
     "expected integer as last argument in top(), found 18446744073709551614"},
    {"SELECT top(v, w, -0.5 * 3) FROM cpu",
     "expected integer as last argument in top(), found -1.500"},
    {"SELECT top(v, w, 1s * 1.5) FROM cpu",
     "expected integer as last argument in top(), found 1s"},
    {"SELECT top(v, w, '2020-01-01' - '2019-12-31') FROM cpu",
     "expected integer as last argument in top(), found 1d"},
    {"SELECT top(v, w, now()) FROM cpu",
     "expected integer as last argument in top(), found now()"},
    {"SELECT derivative(v, 1h - 1h) FROM cpu",
     "duration argument must be positive, got 0s"},
    {"SELECT derivative(v, -1d * 14) FROM cpu",
     "duration argument must be positive, got -2w"},
    {"SELECT derivative(v, -1500ms) FROM cpu",
     "duration argument must be positive, got -1500ms"},
    {"SELECT derivative(v, -1500u) FROM cpu",
     "duration argument must be positive, got -1500u"},
    {"SELECT mean(v) FROM cpu WHERE time > 'abc' + 'def'",
     "invalid operation: time and *influxql.StringLiteral are not compatible"},
    {"SELECT mean(v) FROM cpu WHERE time > '2020-01-' + '01'",
     "invalid operation: time and *influxql.StringLiteral are not compatible"},
    {"SELECT mean(v) FROM cpu WHERE time > ('2020-01-01')",
     "invalid operation: time and *influxql.StringLiteral are not compatible"},
    {"SELECT mean(v) FROM cpu WHERE time > '2020-01-01' + 1h AND time < now()",
     ""},
    {"SELECT mean(v) FROM cpu WHERE time > 1s * 2",
     ""},
    {"SELECT mean(v) FROM cpu WHERE time > true",
     "invalid operation: time and *influxql.BooleanLiteral are not compatible"},
    {"SELECT mean(v) FROM cpu WHERE now() - 1h < time AND host =~ /a/",
     ""},
    {"SELECT mean(v) FROM cpu WHERE v > 1 OR w < 2 AND log(v) > 0",
     ""},
    {"SELECT mean(v) FROM cpu WHERE v + 1 > atan2(v)",
     "invalid number of arguments for atan2, expected 2, got 1"},
    {"SELECT mean(v) FROM cpu WHERE abs(v, 2) > 0 AND time != 0",
     "invalid time comparison operator: !="},
    {"SELECT mean(v) FROM cpu WHERE abs(v) > 0 AND time != 0",
     "invalid time comparison operator: !="},
    {"SELECT mean(v) FROM cpu WHERE time > 0 AND time < 10m GROUP BY time(1m, 1m + 1s)",
     ""},
    {"SELECT mean(v) FROM cpu WHERE time > 0 AND time < 10m GROUP BY time(1m, 5 + 1s)",
     ""},
    {"SELECT mean(v) FROM cpu WHERE time > 0 AND time < 10m GROUP BY time(1m, 5)",
     "time dimension offset must be duration or now()"},
    {"SELECT mean(v) FROM cpu WHERE time > 0 AND time < 10m GROUP BY time(1m, NOW())",
     ""},
    {"SELECT mean(v) FROM cpu WHERE time > 0 AND time < 10m GROUP BY time(2m + '2020-01-01')",
     "time dimension must have duration argument"},
    {"SELECT mean(v) FROM cpu WHERE time > 0 AND time < 10m GROUP BY time(-1m)",
     ""},
    {"SELECT mean(v) FROM cpu WHERE time > 0 AND time < 10m GROUP BY time(1m) tz('Asia/Seoul')",
     ""},
    {"SELECT mean(v) FROM cpu WHERE time > 0 AND time < 10m GROUP BY time(1m), time(2m)",
     "multiple time dimensions not allowed"},
    {"SELECT mean(v) FROM cpu GROUP BY host, time",
     "time() is a function and expects at least one argument"},
    {"SELECT mean(v) FROM cpu GROUP BY host, sum(v)",
     "only time() calls allowed in dimensions"},
    {"SELECT mean(v) FROM cpu GROUP BY true",
     "only time and tag dimensions allowed"},
    {"SELECT mean(v) FROM cpu GROUP BY 1s",
     "only time and tag dimensions allowed"},
    {"SELECT max(v), top(v, 2) FROM cpu LIMIT 1",
     "limit (2) in top function can not be larger than the LIMIT (1) in the select statement"},
    {"SELECT top(v, 2) FROM cpu LIMIT 1",
     "limit (2) in top function can not be larger than the LIMIT (1) in the select statement"},
    {"SELECT top(v, 3), host FROM cpu",
     ""},
    {"SELECT top(v, host, 2) INTO m2 FROM cpu",
     ""},
    {"SELECT bottom(v, host, 2), v FROM cpu",
     ""},
    {"SELECT first(v), last(v) FROM cpu",
     ""},
    {"SELECT first(v), last(v), host FROM cpu",
     "mixing multiple selector functions with tags or fields is not supported"},
    {"SELECT max(v), count(v) FROM cpu",
     ""},
    {"SELECT min(*) FROM cpu",
     ""},
    {"SELECT min(*), host FROM cpu",
     "mixing aggregate and non-aggregate queries is not supported"},
    {"SELECT min(/v/), host FROM cpu",
     "mixing aggregate and non-aggregate queries is not supported"},
    {"SELECT count(*::field) FROM cpu",
     ""},
    {"SELECT sqrt(v) + mean(v) FROM cpu",
     "mixing aggregate and non-aggregate queries is not supported"},
    {"SELECT sqrt(mean(v)) FROM cpu",
     ""},
    {"SELECT sqrt(max(v)), host FROM cpu",
     ""},
    {"SELECT pow(v, 2) + 1 FROM cpu",
     ""},
    {"SELECT atan2(1, 2) + v FROM cpu",
     ""},
    {"SELECT mean(v) + mean(*) FROM cpu",
     "unsupported expression with wildcard: mean()"},
    {"SELECT \"time\", v FROM cpu",
     ""},
    {"SELECT TIME, v FROM cpu",
     ""},
    {"SELECT time::integer FROM cpu",
     "at least 1 non-time field must be queried"},
    {"SELECT (time) FROM cpu",
     ""},
    {"SELECT time, time FROM cpu",
     "at least 1 non-time field must be queried"},
    {"SELECT v FROM cpu ORDER BY time DESC LIMIT 1 SLIMIT 1 SOFFSET 1",
     ""},
    {"SELECT * FROM (SELECT * FROM (SELECT foo(v) FROM cpu))",
     "undefined function foo()"},
    {"SELECT * FROM (SELECT max(v) FROM cpu ORDER BY time DESC) ORDER BY time DESC",
     ""},
    {"SELECT * FROM (SELECT max(v) FROM cpu ORDER BY DESC)",
     "subqueries must be ordered in the same direction as the query itself"},
    {"SELECT * FROM (SELECT max(v) FROM cpu WHERE time != 0)",
     "invalid time comparison operator: !="},
    {"SELECT * FROM (SELECT max(v) FROM cpu), (SELECT max(v) FROM cpu ORDER BY time DESC)",
     "subqueries must be ordered in the same direction as the query itself"},
    {"SELECT * FROM (SELECT v FROM cpu WHERE time > 0 AND time < 10m GROUP BY time(1m) fill(linear))",
     "fill(linear) must be used with a function"},
    {"SELECT max(v) FROM (SELECT derivative(v) FROM cpu) WHERE time > 0 AND time < 10m GROUP BY time(1m)",
     ""},
    {"SELECT max(v) FROM (SELECT moving_average(v, 2) FROM cpu) WHERE time > 0 AND time < 10m GROUP BY time(1m)",
     ""},
    {"SELECT max(v) FROM (SELECT holt_winters(max(v), 1, 1) FROM cpu) WHERE time > 0 AND time < 10m GROUP BY time(1m)",
     ""},
    {"SELECT max(v) FROM (SELECT v FROM cpu GROUP BY time(1m, 'a'))",
     "time dimension offset must be duration or now()"},
    {"SELECT foo(v) FROM (SELECT v FROM cpu GROUP BY time)",
     "undefined function foo()"},
};

TEST(CheckSelect, InfluxdAnswers) {
  for (const Case& c : kCases) {
    auto st = Parser(c.query).parse_statement();
    ASSERT_TRUE(st.ok()) << c.query << ": " << st.status().to_string();
    Status s = check_select(*st->select);
    EXPECT_EQ(s.ok() ? "" : s.message(), c.error) << c.query;
  }
}

SelectInfo analyze(const char* q, int64_t now = 0) {
  auto st = Parser(q).parse_statement();
  EXPECT_TRUE(st.ok()) << q;
  auto info = analyze_select(*st->select, now);
  EXPECT_TRUE(info.ok()) << q << ": " << info.status().to_string();
  return info.ok() ? *info : SelectInfo();
}

TEST(CheckSelect, WhatTheCompilationLearns) {
  SelectInfo i = analyze(
      "SELECT mean(v) FROM cpu WHERE time >= 0 AND time < "
      "1h GROUP BY time(10m, 90s)");
  EXPECT_EQ(i.interval, 600000000000);
  EXPECT_EQ(i.offset, 90000000000);
  EXPECT_FALSE(i.only_selectors);
  EXPECT_EQ(i.function_calls, 1);
  EXPECT_EQ(i.time_range.min, 0);
  EXPECT_EQ(i.time_range.max, 3599999999999);

  // now() as an offset: now modulo the interval; no upper bound: now.
  i = analyze("SELECT max(v) FROM cpu WHERE time > 0 GROUP BY time(1m, now())", 125000000000);
  EXPECT_EQ(i.offset, 5000000000);
  EXPECT_EQ(i.time_range.max, 125000000000);
  EXPECT_TRUE(i.only_selectors);

  i = analyze("SELECT time AS t, top(v, host, 3) FROM cpu ORDER BY time DESC");
  EXPECT_EQ(i.top_bottom, "top");
  EXPECT_EQ(i.time_alias, "t");
  EXPECT_FALSE(i.ascending);
  EXPECT_TRUE(i.has_auxiliary_fields);

  i = analyze(
      "SELECT moving_average(mean(v), 5) FROM cpu WHERE time > 0 AND "
      "time < 1h GROUP BY time(1m)");
  EXPECT_EQ(i.extra_intervals, 5);
  EXPECT_EQ(i.function_calls, 2);

  i = analyze("SELECT DISTINCT v FROM cpu");
  EXPECT_TRUE(i.has_distinct);
  EXPECT_EQ(analyze("SELECT count(DISTINCT v) FROM cpu").has_distinct, false);
}

TEST(CheckSelect, ZeroIntervalWithAnOffset) {
  // influxd panics (integer divide by zero) and answers statement_id -1 with
  // "<statement> [panic:runtime error: integer divide by zero]".
  auto st = Parser("SELECT mean(v) FROM cpu GROUP BY time(0s, 1s)").parse_statement();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(check_select(*st->select).message(), "runtime error: integer divide by zero");
}

std::string printed(const char* expr) {
  auto e = Parser(expr).parse_expr();
  EXPECT_TRUE(e.ok()) << expr;
  return e.ok() ? expr_string(**e) : "";
}

TEST(CheckSelect, ExpressionsPrintedAsInfluxql) {
  EXPECT_EQ(printed("a+b*2"), "a + b * 2");
  EXPECT_EQ(printed("(a + 1.5) / 3"), "(a + 1.500) / 3");
  EXPECT_EQ(printed("\"my field\"::float - \"select\""), "\"my field\"::float - \"select\"");
  EXPECT_EQ(printed("'it\\'s' + 'a\\\\b'"), "'it\\'s' + 'a\\\\b'");
  EXPECT_EQ(printed("mean(v, 'x', 90s, true)"), "mean(v, 'x', 90s, true)");
  EXPECT_EQ(printed("*::field"), "*::field");
  EXPECT_EQ(printed("a =~ /x\\/y/"), "a =~ /x\\/y/");
  EXPECT_EQ(printed("host::tag AND x != 18446744073709551615"),
            "host::tag AND x != 18446744073709551615");
  EXPECT_EQ(printed("\"a.b\" % -1.25"), "\"a.b\" % -1.250");
}

TEST(CheckSelect, DurationsFormattedAsInfluxql) {
  EXPECT_EQ(influxql_duration(0), "0s");
  EXPECT_EQ(influxql_duration(90000000000), "90s");
  EXPECT_EQ(influxql_duration(-1000000000), "-1s");
  EXPECT_EQ(influxql_duration(14 * 86400000000000), "2w");
  EXPECT_EQ(influxql_duration(86400000000000), "1d");
  EXPECT_EQ(influxql_duration(1500000000), "1500ms");
  EXPECT_EQ(influxql_duration(1500), "1u");
}

}  // namespace
}  // namespace tsd::query

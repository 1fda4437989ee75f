// The math functions of InfluxQL as InfluxDB 1.x computes them: Go's math
// package (Go 1.19 on x86-64 with FMA, as Debian builds influxd), so that
// sin(x), exp(x), pow(x, y)... give the same last bits. glibc's functions
// are correctly rounded; Go's methods (Cephes polynomials for the trig
// functions, FreeBSD's logarithm, Shibata's exponential) differ from them
// in the last bit of a quarter of the answers, and by many bits for trig
// functions of large arguments. Written from the methods Go documents;
// the constants are the methods' own.
#pragma once

namespace tsd::query {

double go_sin(double x);
double go_cos(double x);
double go_tan(double x);
double go_atan(double x);
double go_asin(double x);
double go_acos(double x);
double go_atan2(double y, double x);
double go_exp(double x);
double go_log(double x);
double go_log2(double x);
double go_log10(double x);
double go_pow(double x, double y);

}  // namespace tsd::query

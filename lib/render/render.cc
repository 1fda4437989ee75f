// Panel names and the one entry point that draws any of them (render.h).
#include "render/internal.h"

namespace tsd::render {

Result<Panel> parse_panel(std::string_view s) {
  static constexpr std::pair<std::string_view, Panel> kNames[] = {
      {"line", Panel::kLine},   {"spark", Panel::kSpark}, {"stat", Panel::kStat},
      {"gauge", Panel::kGauge}, {"bargauge", Panel::kBarGauge}, {"bar", Panel::kBar},
      {"table", Panel::kTable},
  };
  for (const auto& [name, p] : kNames) {
    if (s == name) return p;
  }
  return Status::invalid_argument("unknown panel \"" + std::string(s) +
                                  "\" (line, spark, stat, gauge, bargauge, bar or table)");
}

Result<Panel> panel_type(std::string_view s) {
  if (s == "timeseries" || s == "graph") return Panel::kLine;
  if (s == "barchart") return Panel::kBar;
  return parse_panel(s);
}

std::string render(Panel panel, const query::Results& r, const Options& o) {
  if (std::string err = first_error(r); !err.empty()) return message_panel("ERR: " + err, o);
  switch (panel) {
    case Panel::kLine: return render_line(r, o);
    case Panel::kSpark: return render_spark(r, o);
    case Panel::kStat: return render_stat(r, o);
    case Panel::kGauge: return render_gauge(r, o);
    case Panel::kBarGauge: return render_bargauge(r, o);
    case Panel::kBar: return render_bar(r, o);
    case Panel::kTable: return render_table(r, o);
  }
  return "";
}

}  // namespace tsd::render

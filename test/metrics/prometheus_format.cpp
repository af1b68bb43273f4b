#include "prometheus_format.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <set>
#include <sstream>

namespace zkit::test {

namespace {

bool name_char(char c, bool first) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':' ||
         (!first && std::isdigit(static_cast<unsigned char>(c)));
}

bool valid_name(std::string_view n) {
  if (n.empty()) return false;
  for (std::size_t i = 0; i < n.size(); ++i)
    if (!name_char(n[i], i == 0)) return false;
  return true;
}

bool parse_value(std::string_view s, double& v) {
  if (s == "+Inf") return v = INFINITY, true;
  if (s == "-Inf") return v = -INFINITY, true;
  if (s == "NaN") return v = NAN, true;
  std::string copy(s);
  char* end = nullptr;
  v = std::strtod(copy.c_str(), &end);
  return !copy.empty() && end == copy.c_str() + copy.size();
}

// The family a sample belongs to: a histogram's _bucket/_sum/_count go to their base name.
std::string family_of(const std::string& name, const std::map<std::string, std::string>& types) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    std::string_view sv(suffix);
    if (name.size() > sv.size() && name.compare(name.size() - sv.size(), sv.size(), sv) == 0) {
      std::string base = name.substr(0, name.size() - sv.size());
      auto t = types.find(base);
      if (t != types.end() && t->second == "histogram") return base;
    }
  }
  return name;
}

}  // namespace

std::string check_prometheus(std::string_view text, std::vector<PromSample>& out) {
  std::ostringstream problems;
  std::map<std::string, std::string> types;
  std::set<std::string> helps;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  if (!text.empty() && text.back() != '\n') problems << "the text does not end with a newline\n";
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    auto bad = [&](const std::string& why) { problems << "line " << line_no << ": " << why << ": " << line << "\n"; };
    if (line.empty()) continue;
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
      std::string_view rest = line.substr(7);
      std::size_t sp = rest.find(' ');
      std::string name(rest.substr(0, sp));
      std::string_view arg = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
      if (!valid_name(name)) bad("bad metric name");
      if (line[2] == 'H') {
        if (!helps.insert(name).second) bad("second HELP");
        if (arg.empty()) bad("empty HELP");
      } else {
        if (types.count(name)) bad("second TYPE");
        if (arg != "counter" && arg != "gauge" && arg != "histogram" && arg != "summary" && arg != "untyped") bad("bad type");
        types[name] = std::string(arg);
      }
      continue;
    }
    if (line[0] == '#') continue;  // a comment
    PromSample s;
    std::size_t i = 0;
    while (i < line.size() && name_char(line[i], i == 0)) ++i;
    s.name = std::string(line.substr(0, i));
    if (!valid_name(s.name)) {
      bad("bad sample name");
      continue;
    }
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        std::size_t k = i;
        while (i < line.size() && name_char(line[i], i == k)) ++i;
        std::string key(line.substr(k, i - k));
        if (key.empty() || i + 1 >= line.size() || line[i] != '=' || line[i + 1] != '"') {
          bad("bad label");
          break;
        }
        i += 2;
        std::string value;
        while (i < line.size() && line[i] != '"') {
          if (line[i] == '\\' && i + 1 < line.size()) ++i;
          value += line[i++];
        }
        if (i >= line.size()) {
          bad("unterminated label value");
          break;
        }
        ++i;
        if (!s.labels.emplace(key, value).second) bad("label twice");
        if (i < line.size() && line[i] == ',') ++i;
      }
      if (i >= line.size() || line[i] != '}') {
        bad("labels not closed");
        continue;
      }
      ++i;
    }
    if (i >= line.size() || line[i] != ' ') {
      bad("no space before the value");
      continue;
    }
    std::string_view value = line.substr(i + 1);
    if (std::size_t sp = value.find(' '); sp != std::string_view::npos) value = value.substr(0, sp);  // a timestamp
    if (!parse_value(value, s.value)) bad("bad value");
    std::string family = family_of(s.name, types);
    if (!types.count(family)) bad("sample before its TYPE");
    if (!helps.count(family)) bad("sample before its HELP");
    out.push_back(std::move(s));
  }
  // Histograms: per label set (le aside), cumulative buckets ending with +Inf == _count.
  for (const auto& [family, type] : types) {
    if (type != "histogram") continue;
    std::map<std::map<std::string, std::string>, std::vector<std::pair<double, double>>> series;
    std::map<std::map<std::string, std::string>, double> counts;
    for (const PromSample& s : out) {
      auto labels = s.labels;
      if (s.name == family + "_bucket") {
        auto le = labels.find("le");
        if (le == labels.end()) {
          problems << family << ": a bucket without le\n";
          continue;
        }
        double bound = 0;
        if (!parse_value(le->second, bound)) problems << family << ": bad le " << le->second << "\n";
        labels.erase(le);
        series[labels].push_back({bound, s.value});
      } else if (s.name == family + "_count") {
        counts[labels] = s.value;
      }
    }
    for (const auto& [labels, buckets] : series) {
      for (std::size_t b = 1; b < buckets.size(); ++b)
        if (buckets[b].first <= buckets[b - 1].first || buckets[b].second < buckets[b - 1].second)
          problems << family << ": buckets not increasing or not cumulative\n";
      if (buckets.empty() || !std::isinf(buckets.back().first)) problems << family << ": no le=\"+Inf\" bucket\n";
      else if (!counts.count(labels) || counts[labels] != buckets.back().second)
        problems << family << ": +Inf bucket differs from _count\n";
    }
  }
  return problems.str();
}

double prom_value(const std::vector<PromSample>& samples, std::string_view name,
                  const std::map<std::string, std::string>& labels) {
  for (const PromSample& s : samples) {
    if (s.name != name) continue;
    bool all = true;
    for (const auto& [k, v] : labels) {
      auto it = s.labels.find(k);
      all &= it != s.labels.end() && it->second == v;
    }
    if (all) return s.value;
  }
  return NAN;
}

}  // namespace zkit::test

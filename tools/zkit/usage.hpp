// The zkit tool's help texts: the overview and one page per command.
#pragma once

#include <optional>
#include <string>

#include "args.hpp"

namespace zkit::cli {

// The help page for `verb`, or the overview when there is none. Ends with a newline.
std::string help_text(std::optional<Verb> verb);

}  // namespace zkit::cli

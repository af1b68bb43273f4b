#!/usr/bin/env bash
# Fails when a file under tools/ includes a private SDK header. A tool may include its own
# files (its folder, tools/common) and public headers only: sdk/include (zkit/..., zkit/uv/...),
# recipes/include (zkit/recipes/...) and sdk/testing/include (zkit/testing/...). Anything that
# resolves only under sdk/src, recipes/src or sdk/testing/src is a private shortcut.
#   check_includes.sh SOURCE_ROOT
set -euo pipefail
root="${1:?usage: check_includes.sh SOURCE_ROOT}"
public=("$root/sdk/include" "$root/recipes/include" "$root/sdk/testing/include" "$root/tools/common")
bad=0
while IFS= read -r -d '' file; do
  dir="$(dirname "$file")"
  while IFS= read -r inc; do
    found=no
    for base in "$dir" "${public[@]}"; do
      if [[ -f "$base/$inc" ]]; then found=yes; break; fi
    done
    if [[ $found == no ]]; then
      echo "${file#"$root"/}: includes \"$inc\", which is no public zkit header nor a file of the tools"
      bad=1
    fi
  done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$file")
done < <(find "$root/tools" \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' \) -print0)
if [[ $bad == 0 ]]; then echo "tools/ includes only public headers and its own files"; fi
exit $bad

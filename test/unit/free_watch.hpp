// free_watch: which one allocation a test watches, and whether it has been freed yet. The
// unit binary's operator new and delete are replaced (free_watch.cpp) to tell; they allocate
// and free as the default ones do. Per thread: other threads' frees are not mixed in.
#pragma once

namespace zkit::unit {

// From now on, freed() says whether the allocation at `p` has been freed.
void watch_free(const void* p);
bool freed();

}  // namespace zkit::unit

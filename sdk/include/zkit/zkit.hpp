// zkit: a C++20 client for Apache ZooKeeper. Include this for everything public.
#pragma once

#include "zkit/acl.hpp"
#include "zkit/async.hpp"
#include "zkit/client.hpp"
#include "zkit/coroutines.hpp"
#include "zkit/error.hpp"
#include "zkit/function.hpp"
#include "zkit/multi.hpp"
#include "zkit/options.hpp"
#include "zkit/result.hpp"
#include "zkit/session.hpp"
#include "zkit/task.hpp"
#include "zkit/timer.hpp"
#include "zkit/tls.hpp"
#include "zkit/types.hpp"
#include "zkit/watch.hpp"

// How a program was linked, and its twin.
//
// tsd-query answers a question per process, so its start counts: it is
// linked statically (no dynamic loader, no relocations, fewer page
// faults: 1.2-1.4 ms of a 6-10 ms light question on this VM). A static
// program cannot load libcurl (dlopen would bring a second C library,
// whose threads cannot start), so what may need it runs in its twin, the
// same program linked with the shared C library and installed beside it
// as NAME-shared: --url and a script on stdin from the start, the
// interactive shell once `connect` reaches for a server.
#pragma once

#include <string>

#include "core/status.h"

namespace tsd {

// True in a program linked without a dynamic loader.
bool linked_statically();

// Replaces this process with the twin of program `name` (the file
// `name`-shared in this program's directory), given argv. Returns only
// when it could not: the reason, naming the file.
Status exec_shared_twin(const std::string& name, char** argv);

}  // namespace tsd

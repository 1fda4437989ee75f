// How a program was linked, and its twin.
//
// tsd-query answers a question per process, so its start counts: it is
// linked statically (no dynamic loader, no relocations, fewer page
// faults: 2 ms of an 8-13 ms question on this VM). A static program
// cannot load libcurl (dlopen would bring a second C library, whose
// threads cannot start), so the forms that may need it, --url and the
// shell (whose `connect` reaches a server), run in its twin: the same
// program linked with the shared C library, installed beside it as
// NAME-shared.
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

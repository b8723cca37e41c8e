/**
 * @file gcent/export.h
 * @brief Symbol visibility for the public API.
 *
 * Every public function is declared with GCENT_API. The shared library is
 * built with -fvisibility=hidden, so only what carries this macro (and is
 * listed in the linker version script) is exported. Define GCENT_STATIC when
 * linking the static library on Windows.
 */
#ifndef GCENT_EXPORT_H
#define GCENT_EXPORT_H

#if defined(GCENT_STATIC)
#  define GCENT_API
#elif defined(_WIN32)
#  if defined(GCENT_BUILDING)
#    define GCENT_API __declspec(dllexport)
#  else
#    define GCENT_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define GCENT_API __attribute__((visibility("default")))
#else
#  define GCENT_API
#endif

#endif /* GCENT_EXPORT_H */

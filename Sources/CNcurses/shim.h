// ncursesw (Debian: libncursesw5-dev) with the wide-character API, and small wrappers for what
// Swift cannot import: macros (A_BOLD, …) and mutable globals (stdscr, LINES, COLS).
#ifndef CONVTOUR_CNCURSES_SHIM_H
#define CONVTOUR_CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <ncursesw/curses.h>

static inline WINDOW *ct_stdscr(void) { return stdscr; }
/// newterm on the process's own standard output and input (nil for an unknown TERM).
static inline SCREEN *ct_newterm(void) { return newterm(NULL, stdout, stdin); }
static inline int ct_lines(void) { return getmaxy(stdscr); }
static inline int ct_columns(void) { return getmaxx(stdscr); }
static inline attr_t ct_bold(void) { return A_BOLD; }
static inline attr_t ct_reverse(void) { return A_REVERSE; }
static inline attr_t ct_underline(void) { return A_UNDERLINE; }
static inline attr_t ct_normal(void) { return A_NORMAL; }
static inline int ct_color_pairs(void) { return COLOR_PAIRS; }
static inline int ct_colors(void) { return COLORS; }

/// Writes one character with attributes and a colour pair at (y, x); ERR at the bottom-right
/// corner is expected and ignored by the caller.
static inline int ct_put(int y, int x, wchar_t ch, attr_t attrs, short pair) {
  cchar_t cell;
  wchar_t text[2] = {ch, 0};
  setcchar(&cell, text, attrs, pair, NULL);
  return mvadd_wch(y, x, &cell);
}

/// Whether the locale's character set is UTF-8 (after setlocale).
static inline int ct_utf8(void) {
  const char *set = nl_langinfo(CODESET);
  return set && (set[0] == 'U' || set[0] == 'u') && (set[1] == 'T' || set[1] == 't') && (set[2] == 'F' || set[2] == 'f');
}
#endif

# tui_lib.sh - drive the real TUI inside tmux for e2e tests (sourced after
# lib.sh). Every session runs on a private tmux server (-L), with fixed TERM,
# LANG, TZ and HOME, at a fixed size; assertions poll capture-pane a bounded
# number of times and print the captured screen when they fail.
#   tui_start NAME COLS ROWS ARGS...  start "$MV ARGS..." in session NAME
#   tui_keys NAME KEY...              tmux send-keys (names like Enter, Escape, BTab)
#   tui_type NAME TEXT                send TEXT literally
#   tui_screen NAME                   print the pane
#   tui_wait NAME PATTERN [TRIES]     poll until the pane matches grep -E PATTERN
#   tui_check DESC NAME PATTERN       record pass if the pane comes to match
#   tui_check_not DESC NAME PATTERN   record pass if the pane does not match (after settling)
#   tui_goto NAME TITLE               open the screen titled TITLE from the navigation
#   tui_nav_to NAME PATTERN           the same by a title regex, focusing it with Tab
#   tui_click NAME X Y                a left click at column X, row Y (0-based)
#   tui_resize NAME COLS ROWS
#   tui_pid NAME                      pid of the app in NAME
#   tui_exit_code NAME [TRIES]        wait for the app to end; print its exit code
#   tui_stop                          end the private tmux server
TUI_SOCK="mv-e2e-$$"
TUI_TRIES=${TUI_TRIES:-60}
TUI_SLEEP=${TUI_SLEEP:-0.1}

tui_tmux() {
	tmux -L "$TUI_SOCK" -f /dev/null "$@"
}

tui_start() {
	name=$1 cols=$2 rows=$3; shift 3
	args=""
	for a in "$@"; do args="$args '$a'"; done
	rm -f "$T_TMP/exit.$name"
	tui_tmux new-session -d -s "$name" -x "$cols" -y "$rows" \
		"env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC HOME='$HOME' \
		MENTALVERSE_PASSPHRASE='' NO_COLOR='${NO_COLOR:-}' '$MV' $args; \
		echo \$? >'$T_TMP/exit.$name'; echo '[app ended]'; sleep 600"
	tui_tmux set-option -t "$name" status off >/dev/null
	tui_tmux resize-window -t "$name" -x "$cols" -y "$rows" >/dev/null 2>&1
}

tui_keys() {
	name=$1; shift
	tui_tmux send-keys -t "$name" "$@"
}

tui_type() {
	tui_tmux send-keys -t "$1" -l "$2"
}

# SGR (1006) mouse report, the form xterm-256color's kmous announces:
# press "ESC[<0;X;YM" then release "ESC[<0;X;Ym", 1-based.
tui_click() {
	tui_tmux send-keys -t "$1" -l "$(printf '\033[<0;%d;%dM' $(($2 + 1)) $(($3 + 1)))"
	tui_tmux send-keys -t "$1" -l "$(printf '\033[<0;%d;%dm' $(($2 + 1)) $(($3 + 1)))"
}

tui_screen() {
	tui_tmux capture-pane -p -t "$1"
}

tui_wait() {
	i=0; n=${3:-$TUI_TRIES}
	while [ "$i" -lt "$n" ]; do
		if tui_screen "$1" | grep -Eq -- "$2"; then return 0; fi
		sleep "$TUI_SLEEP"; i=$((i + 1))
	done
	return 1
}

# The screen's title row (the second, or the third under the upgrade banner).
_tui_titles() { tui_screen "$1" | sed -n 2,3p; }

# Back to the navigation, to its top (1: Home), then down until the title
# is TITLE, and open it (Enter). Each move waits for the title to change, so
# a slow redraw never skips a screen; bounded (the navigation wraps round).
tui_goto() {
	tui_keys "$1" Escape 1
	tui_wait "$1" "│ Home " 30 >/dev/null
	tui_keys "$1" Escape # 1 opened Home: back to the navigation
	_g=0
	while [ "$_g" -lt 45 ]; do
		_t=$(_tui_titles "$1")
		if printf '%s\n' "$_t" | grep -q "│ $2 "; then
			tui_keys "$1" Enter
			return 0
		fi
		tui_keys "$1" Down
		_w=0
		while [ "$_w" -lt 40 ] && [ "$(_tui_titles "$1")" = "$_t" ]; do sleep 0.05; _w=$((_w + 1)); done
		[ "$(_tui_titles "$1")" = "$_t" ] && break # the navigation did not move
		_g=$((_g + 1))
	done
	echo "  (no '$2' screen reached in $1)"
	return 1
}

# Move the navigation to the screen whose title matches the extended regex
# PATTERN, then focus it (Tab); each step waits for the title to change.
_tui_nav_title() { tui_screen "$1" | sed -n 2p; }
tui_nav_to() {
	s=$1 pat=$2 i=0
	tui_keys "$s" 1
	tui_wait "$s" "^ *│ Home" 30 >/dev/null
	tui_keys "$s" Tab
	while [ "$i" -lt 40 ]; do
		title=$(_tui_nav_title "$s")
		if printf '%s\n' "$title" | grep -Eq -- "$pat"; then
			tui_keys "$s" Tab
			return 0
		fi
		tui_keys "$s" Down
		j=0
		while [ "$j" -lt 40 ] && [ "$(_tui_nav_title "$s")" = "$title" ]; do sleep 0.05; j=$((j + 1)); done
		i=$((i + 1))
	done
	return 1
}

_tui_fail() {
	echo "  FAIL [$T_NAME] $1"
	echo "    screen of $2:"
	tui_screen "$2" | sed 's/^/    | /'
	_t_record fail "$1"
}

tui_check() {
	if tui_wait "$2" "$3"; then _t_record pass "$1"; else _tui_fail "$1 (expected /$3/)" "$2"; fi
}

tui_check_not() {
	sleep 0.3
	if tui_screen "$2" | grep -Eq -- "$3"; then _tui_fail "$1 (unexpected /$3/)" "$2"; else _t_record pass "$1"; fi
}

tui_resize() {
	tui_tmux resize-window -t "$1" -x "$2" -y "$3"
}

tui_pid() {
	pane=$(tui_tmux display-message -p -t "$1" '#{pane_pid}')
	ps -o pid= --ppid "$pane" 2>/dev/null | head -n 1 | tr -d ' '
}

tui_exit_code() {
	i=0; n=${2:-$TUI_TRIES}
	while [ "$i" -lt "$n" ] && [ ! -s "$T_TMP/exit.$1" ]; do sleep "$TUI_SLEEP"; i=$((i + 1)); done
	if [ -s "$T_TMP/exit.$1" ]; then cat "$T_TMP/exit.$1"; else echo "running"; fi
}

tui_stop() {
	tui_tmux kill-server >/dev/null 2>&1
	return 0
}

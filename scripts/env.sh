# Sourced by the scripts: where builds go, and a PATH with cargo on it.
export PATH="$HOME/.cargo/bin:$PATH"
# One build folder shared by every clone of the repository on this machine.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/rebound/target}"

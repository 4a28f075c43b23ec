//! Site: `redline build --out DIR` writes the static readers' site. OWNER: render engineer.

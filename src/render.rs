//! Render: every human-facing output through askama templates in `templates/`.
//! OWNER: render engineer.

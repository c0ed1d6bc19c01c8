/** The help of `--templates`, the same for every command that reads templates. */
export const TEMPLATES_OPTION_HELP =
  'templates source: a git URL, a repository with templates/, or a templates folder (default: $IDP_TEMPLATES_DIR or the platform repository)';

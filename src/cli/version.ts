/** The CLI's version: its own module, so `ebs-snapper --version` loads nothing else. */
export const VERSION = '0.1.0';

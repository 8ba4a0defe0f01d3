/** A table or column name as an SQL identifier, for both backends (a double quote inside doubled). */
export const quoted = (name: string): string => `"${name.replaceAll('"', '""')}"`;

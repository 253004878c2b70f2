// An ES module importing a package that does not exist.
import missing from 'not-a-package';

export const handler = async () => missing;

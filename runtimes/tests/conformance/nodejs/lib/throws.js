throw new Error('init failure');

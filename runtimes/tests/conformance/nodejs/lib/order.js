exports.handler = async () => 'js wins';

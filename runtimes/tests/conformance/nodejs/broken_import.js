// Conformance: requiring a package that is not in the deployment package fails the init with an import error.
'use strict';
require('does-not-exist-module');

exports.handler = async () => 'unreachable';

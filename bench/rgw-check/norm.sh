#!/usr/bin/env bash
# normalise a S3Tool dump for comparison: key, size, MD5, user metadata without the tool's own keys, content type
sed -E 's/\tetag=[^\t]*//; s/(md5chksum|source-etag)=[^,}]*(, )?//g; s/, \}/}/' "$1" | sort

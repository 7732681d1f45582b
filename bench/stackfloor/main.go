// Command stackfloor imports the libraries the brief fixes for mdclean
// (goquery, html-to-markdown, yaml.v3, urfave/cli) and does nothing else:
// bench/batch.sh times it per process as the start-up floor under any
// program built on them, beside mdclean's and html2markdown's.
package main

import (
	_ "github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	_ "github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	_ "github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	_ "github.com/PuerkitoBio/goquery"
	_ "github.com/urfave/cli/v2"
	_ "gopkg.in/yaml.v3"
)

func main() {}

package app.parley.http;

/** The chat-box snippet a shop pastes into its pages: Smartsupp's shape with Parley's loader. */
public final class Snippet {
    private Snippet() {}

    public static String html(String key, String origin) {
        return """
                <script type="text/javascript">
                var _smartsupp = _smartsupp || {};
                _smartsupp.key = '%s';
                window.smartsupp||(function(d) {
                  var s,c,o=smartsupp=function(){ o._.push(arguments)};o._=[];
                  s=d.getElementsByTagName('script')[0];c=d.createElement('script');
                  c.type='text/javascript';c.charset='utf-8';c.async=true;
                  c.src='%s/chat.js';s.parentNode.insertBefore(c,s);
                })(document);
                </script>
                """.formatted(key, origin);
    }
}

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs Helm's own engine (helm-java) over a list of jobs, one JVM for all of them. Each line of the jobs file is
 * tab-separated:
 *   dependency  CHART_DIR
 *   lint        CHART_DIR
 *   template    CHART_DIR  RELEASE  NAMESPACE  KUBE_VERSION  OUT_FILE  [VALUES_FILE ...]
 * and gets one answer line on stdout: "ok<TAB>n" or "fail<TAB>n<TAB>message" (n = the job's line number), so the
 * caller sees every failure of a run, not only the first. Rendered manifests go to OUT_FILE.
 */
public class Render {
  public static void main(String[] args) throws Exception {
    List<String> jobs = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
    for (int n = 0; n < jobs.size(); n++) {
      String line = jobs.get(n);
      if (line.isBlank()) continue;
      String[] job = line.split("\t");
      try {
        String failure = run(job);
        System.out.println(failure == null ? "ok\t" + n : "fail\t" + n + "\t" + oneLine(failure));
      } catch (Exception e) {
        System.out.println("fail\t" + n + "\t" + oneLine(String.valueOf(e.getMessage())));
      }
      System.out.flush();
    }
  }

  private static String run(String[] job) throws Exception {
    Helm chart = new Helm(Path.of(job[1]));
    switch (job[0]) {
      case "dependency":
        chart.dependency().update().call();
        return null;
      case "lint": {
        LintResult result = chart.lint().strict().call();
        return result.isFailed() ? String.join(" | ", result.getMessages()) : null;
      }
      case "template": {
        TemplateCommand template =
            chart.template().withName(job[2]).withNamespace(job[3]).withKubeVersion(job[4]);
        for (String values : Arrays.copyOfRange(job, 6, job.length)) template = template.withValuesFile(Path.of(values));
        Files.writeString(Path.of(job[5]), template.call(), StandardCharsets.UTF_8);
        return null;
      }
      default:
        return "unknown job " + job[0];
    }
  }

  private static String oneLine(String text) {
    return text.replace('\t', ' ').replace("\r", "").replace("\n", " | ");
  }
}
